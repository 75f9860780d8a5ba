import type { Db } from '../../db/connection.js';
import type { Input } from '../../io/input/open.js';
import type { Stamp } from '../audit/audit.service.js';
import { runImport, type ImportHooks, type ImportOptions, type RowOutcome, type RowProblem } from '../import/import.js';
import { orgKey } from '../org/org.repo.js';
import type { OnDuplicate } from './member.constants.js';
import { memberImportStatements, peopleByKey } from './member.repo.js';
import { erasedChecker, erasedHash } from './member.erase.js';
import { erasedHashesAmong, findErasureSalt } from './member.erase.repo.js';
import { BulkWriter, SqliteBulkWriter, type RowWriter } from '../../db/bulk.js';
import { createStage, membershipFacts, STAGE, STAGE_COLUMNS, writeStagedPeople, type StageContext } from './membership.repo.js';
import type { MaybePromise } from '../../db/statements.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { addDays } from '../shared/time.js';
import { getSetting } from '../settings/settings.service.js';
import { currentPolicy } from '../policy/policy.service.js';
import type { MemberRow } from './member.schema.js';

export interface MemberImportOptions extends ImportOptions {
  /** Accept addresses that belonged to erased people. */
  allowErased?: boolean;
  onDuplicate?: OnDuplicate;
  source?: string;
}

/**
 * Imports people from CSV or NDJSON in one transaction. Existing people are skipped
 * (or updated: name and organisation only); an import never records a consent for
 * an existing person, so it can never re-subscribe someone who withdrew.
 * A second row for the same address in one file is a bad row.
 */
export async function importPeople(db: Db, stamp: Stamp, input: Input, opts: MemberImportOptions, hooks?: ImportHooks) {
  const onDuplicate = opts.onDuplicate ?? 'skip';
  const source = opts.source?.trim() || `import:${input.name}`;
  // lineOf[person id] is the line of this file that already named that person (added, skipped
  // or updated): an in-file duplicate names its first line with 4 bytes a person, no map of emails.
  let lineOf = new Uint32Array(1024);
  const seen = (id: number, line: number) => {
    if (id >= lineOf.length) {
      const grown = new Uint32Array(Math.max(lineOf.length * 2, id + 1024));
      grown.set(lineOf);
      lineOf = grown;
    }
    lineOf[id] = line;
  };

  return runImport<MemberRow>(
    db,
    stamp,
    input,
    {
      kind: 'member',
      analyze: ['person', 'organisation', 'consent_event', 'disclosure', 'notice'],
      prepare: async (conn) => {
        const announceOn = addDays(stamp.at, Number(await getSetting(conn, 'notice-days')));
        await createStage(conn, db.dialect);
        const context: StageContext = { at: stamp.at, actor: stamp.actor, source, input: input.name, announceOn, policy: await currentPolicy(conn) };
        const store = db.dialect === 'sqlite' ? await sqliteStore(db, conn, context) : await postgresStore(db, conn, context);
        const apply = async (row: MemberRow, line: number): Promise<RowOutcome | RowProblem> => {
          const { email, key } = row.email;
          const existing = await store.findPerson(key);
          if (existing !== undefined) {
            const firstLine = lineOf[existing];
            if (firstLine) return { source: input.name, line, field: 'email', reason: `duplicate of line ${firstLine} (addresses are compared case-insensitively)` };
            if (onDuplicate === 'fail') return { source: input.name, line, field: 'email', reason: `${email} already exists`, conflict: true };
            seen(existing, line);
            if (onDuplicate === 'skip') return { line, action: 'SKIP', key: email, note: 'already exists' };
            await store.updatePerson(existing, row.name, row.organization ? (await store.org(row.organization)).id : null);
            return { line, action: 'UPDATE', key: email, note: 'name and organisation; consents unchanged' };
          }
          if (!opts.allowErased && (await store.wasErased(key))) return { source: input.name, line, field: 'email', reason: 'belonged to a person who was erased', advice: { key: 'erased-row' }, conflict: true };
          const organisation = row.organization ? await store.org(row.organization) : null;
          seen(await store.addPerson(row, organisation, line), line);
          return { line, action: 'ADD', key: email, note: row.status };
        };
        return { apply, prefetch: store.prefetch, flush: store.flush };
      },
    },
    opts,
    hooks,
  );
}

/** Where a member import reads and writes: one engine's lookups, behind the one import logic above; the writes are staged (addPerson) and written by writeStagedPeople on both. */
interface MemberStore {
  findPerson(key: string): MaybePromise<number | undefined>;
  wasErased(key: string): MaybePromise<boolean>;
  org(name: string): Promise<{ id: number; name: string }>;
  /** Stages a new person, with what the row brings; returns the person's id. */
  addPerson(row: MemberRow, organisation: { id: number; name: string } | null, line: number): MaybePromise<number>;
  updatePerson(id: number, name: string, organisationId: number | null): MaybePromise<unknown>;
  prefetch?(rows: MemberRow[]): Promise<void>;
  flush(): MaybePromise<void>;
}

/** Organisations by name (case-insensitively), found or created once per import. */
function orgCache(find: (key: string) => MaybePromise<{ id: number; name: string } | undefined>, create: (name: string, key: string) => MaybePromise<number>) {
  const orgs = new Map<string, { id: number; name: string }>();
  return async (name: string) => {
    const key = orgKey(name);
    let o = orgs.get(key);
    if (o === undefined) {
      o = (await find(key)) ?? { id: await create(name, key), name };
      orgs.set(key, o);
    }
    return o;
  };
}

/** People staged at most before what they bring is written: a few set-based statements a batch, and the lookups' map of them stays small. */
const STAGE_ROWS = 10_000;

/**
 * The staging both engines share: each new person is one row of the staging table (ids handed
 * out up front, so the rows a person brings can name each other), buffered by the engine's
 * writer; `write` sends the buffer and writes what the staged people bring (writeStagedPeople).
 * `added` holds the people staged since, by address key, so a later row of the file finds them
 * before they are written.
 */
function stagedPeople(db: Db, writer: RowWriter, conn: Kysely<Database>, c: StageContext) {
  const added = new Map<string, number>();
  const write = async () => {
    if (!added.size) return;
    await writer.flush();
    await writeStagedPeople(conn, db.dialect, c);
    added.clear();
  };
  return {
    added,
    write,
    async addPerson(row: MemberRow, organisation: { id: number; name: string } | null, line: number): Promise<number> {
      const { name, email: { email, key }, status } = row;
      const id = await writer.nextId('person');
      const member = status === 'member';
      const facts = member ? membershipFacts(name, email, organisation?.name ?? null) : null;
      await writer.add(STAGE, STAGE_COLUMNS, [
        id, name, email, key, organisation?.id ?? null, status, row.newsletter === undefined ? null : Number(row.newsletter), line,
        member ? await writer.nextId('disclosure') : null, member ? await writer.nextId('disclosure') : null, facts?.announcement ?? null, facts?.directory ?? null,
      ]);
      added.set(key, id);
      if (added.size >= STAGE_ROWS) await write();
      return id;
    },
  };
}

/** SQLite: prepared statements for the lookups, a row at a time (each answers at once); the new people staged through a SqliteBulkWriter. */
async function sqliteStore(db: Db, conn: Kysely<Database>, c: StageContext): Promise<MemberStore> {
  const st = memberImportStatements(db, conn);
  const writer = new SqliteBulkWriter(db.sqlite);
  const staged = stagedPeople(db, writer, conn, c);
  return {
    addPerson: staged.addPerson,
    async flush() {
      await staged.write();
      writer.finish();
    },
    findPerson: (key) => staged.added.get(key) ?? (st.findPerson.get(key) as { id: number } | undefined)?.id,
    wasErased: await erasedChecker(db, conn),
    org: orgCache(
      (key) => st.findOrg.get(key),
      async (name, key) => (await st.insertOrg.run(name, key, c.at, c.at)).id,
    ),
    updatePerson: (id, name, organisationId) => st.updatePerson.run(name, organisationId, c.at, id),
  };
}

/**
 * PostgreSQL: a thousand rows at a time. The people a chunk names (and any erased addresses
 * among them) are looked up in one query each; the new people are staged by COPY (the ones not
 * yet written are found in the stage's map), so no row costs a round trip of its own.
 */
async function postgresStore(db: Db, conn: Kysely<Database>, c: StageContext): Promise<MemberStore> {
  const st = memberImportStatements(db, conn);
  const writer = new BulkWriter(conn, db.copyFrom!);
  const staged = stagedPeople(db, writer, conn, c);
  const salt = await findErasureSalt(conn);
  let people = new Map<string, { id: number }>();
  let erased = new Set<string>();
  return {
    addPerson: staged.addPerson,
    async prefetch(rows) {
      // The people earlier chunks added are found in staged.added, written or not.
      const keys = [...new Set(rows.map((r) => r.email.key))];
      people = await peopleByKey(conn, keys);
      erased = new Set();
      if (salt) {
        const hashes = new Map(keys.map((k) => [erasedHash(salt, k), k]));
        for (const r of await erasedHashesAmong(conn, [...hashes.keys()])) erased.add(hashes.get(r.hash)!);
      }
    },
    async flush() {
      await staged.write();
      await writer.finish();
    },
    findPerson: (key) => staged.added.get(key) ?? people.get(key)?.id,
    wasErased: (key) => erased.has(key),
    org: orgCache(
      (key) => st.findOrg.get(key),
      async (name, key) => (await st.insertOrg.run(name, key, c.at, c.at)).id,
    ),
    updatePerson: (id, name, organisationId) => st.updatePerson.run(name, organisationId, c.at, id),
  };
}

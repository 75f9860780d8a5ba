import type { Db } from '../../db/connection.js';
import type { Input } from '../../io/input.js';
import type { Stamp } from '../audit/audit.service.js';
import { runImport, type ImportHooks, type ImportOptions, type RowOutcome, type RowProblem } from '../import.js';
import { orgKey } from '../org/org.repo.js';
import type { OnDuplicate } from './member.constants.js';
import { memberImportStatements, peopleByKey } from './member.repo.js';
import { erasedChecker, erasedHash, findErasureSalt } from './member.erase.js';
import { BulkWriter, SqliteBulkWriter, type BulkColumn, type RowWriter } from '../../db/bulk.js';
import type { MaybePromise } from '../../db/statements.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { addDays } from '../time.js';
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
      prepare: async (conn) => {
        const announceOn = addDays(stamp.at, Number(await getSetting(conn, 'notice-days')));
        const context = { stamp, source, announceOn, policy: await currentPolicy(conn) };
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
          if (!opts.allowErased && (await store.wasErased(key))) return { source: input.name, line, field: 'email', reason: 'belonged to a person who was erased (pass --allow-erased if they came back)', conflict: true };
          const organisation = row.organization ? await store.org(row.organization) : null;
          const personId = await store.insertPerson(row.name, email, key, organisation?.id ?? null, row.status);
          seen(personId, line);
          const evidence = `${input.name} line ${line}`;
          if (row.status === 'member') {
            await store.plan(personId, organisation?.id ?? null, { name: row.name, email, organisation: organisation?.name ?? null });
            await store.grant(personId, 'newsletter', 'grant', 'membership-terms', evidence);
            await store.grant(personId, 'directory', 'grant', 'membership-terms', evidence);
            if (row.newsletter === false) await store.grant(personId, 'newsletter', 'withdraw', 'import', `${evidence}: newsletter=no`);
          } else if (row.newsletter === true) {
            await store.grant(personId, 'newsletter', 'grant', 'import', `${evidence}: newsletter=yes`);
          }
          return { line, action: 'ADD', key: email, note: row.status };
        };
        return { apply, prefetch: store.prefetch, flush: store.flush };
      },
    },
    opts,
    hooks,
  );
}

interface StoreContext {
  stamp: Stamp;
  source: string;
  announceOn: string;
  policy: string | null;
}

/** Where a member import reads and writes: one engine's fast path, behind the one import logic above. */
interface MemberStore {
  findPerson(key: string): MaybePromise<number | undefined>;
  wasErased(key: string): MaybePromise<boolean>;
  org(name: string): Promise<{ id: number; name: string }>;
  insertPerson(name: string, email: string, key: string, organisationId: number | null, status: string): MaybePromise<number>;
  updatePerson(id: number, name: string, organisationId: number | null): MaybePromise<unknown>;
  plan(personId: number, organisationId: number | null, facts: { name: string; email: string; organisation: string | null }): MaybePromise<void>;
  grant(personId: number, purpose: string, action: 'grant' | 'withdraw', basis: string, evidence: string): MaybePromise<unknown>;
  prefetch?(rows: MemberRow[]): Promise<void>;
  flush?(): MaybePromise<void>;
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

/**
 * SQLite: prepared statements, one row at a time, for the people (each answers at once, so a
 * later row of the file finds an earlier one); what a new member adds besides goes through a
 * SqliteBulkWriter.
 */
async function sqliteStore(db: Db, conn: Kysely<Database>, c: StoreContext): Promise<MemberStore> {
  const st = memberImportStatements(db, conn);
  const writer = new SqliteBulkWriter(db.sqlite);
  const { stamp } = c;
  return {
    ...membershipWrites(writer, c),
    flush: () => writer.finish(),
    findPerson: (key) => (st.findPerson.get(key) as { id: number } | undefined)?.id,
    wasErased: await erasedChecker(db, conn),
    org: orgCache(
      (key) => st.findOrg.get(key),
      async (name, key) => (await st.insertOrg.run(name, key, stamp.at, stamp.at)).id,
    ),
    insertPerson: async (name, email, key, organisationId, status) => (await st.insertPerson.run(name, email, key, organisationId, status, c.source, stamp.at, stamp.at)).id,
    updatePerson: (id, name, organisationId) => st.updatePerson.run(name, organisationId, stamp.at, id),
  };
}

/**
 * What a new member adds besides the person, through either engine's writer: the planned
 * announcement (P7), the directory relay and its notice (P6, P9); and the consents of any row.
 * (The rows membershipStatements writes when one member is added.)
 */
function membershipWrites(writer: RowWriter, c: StoreContext): Pick<MemberStore, 'plan' | 'grant'> {
  const { stamp } = c;
  return {
    async plan(personId, organisationId, facts) {
      const basis = 'membership terms (P6, P7)';
      await writer.add('disclosure', DISCLOSURE, [await writer.nextId('disclosure'), 'announcement', personId, organisationId, 'public', basis, c.announceOn, 'planned', JSON.stringify({ name: facts.name, organisation: facts.organisation }), stamp.at, null]);
      const directory = await writer.nextId('disclosure');
      await writer.add('disclosure', DISCLOSURE, [directory, 'directory', personId, organisationId, 'members', basis, stamp.at.slice(0, 10), 'released', JSON.stringify(facts), stamp.at, stamp.at]);
      await writer.add('notice', NOTICE, [directory, personId, 'subject', 'membership-terms', stamp.at, stamp.actor, stamp.at]);
    },
    grant: (personId, purpose, action, basis, evidence) => writer.add('consent_event', CONSENT, [personId, purpose, null, action, stamp.at, basis, evidence, stamp.actor, c.policy, stamp.at]),
  };
}

const columns = (spec: string): BulkColumn[] => spec.split(' ').map((c) => (c.endsWith('_id') || c === 'id' ? [c, 'bigint'] : [c, 'text']));
const PERSON = columns('id name email email_key organisation_id status source created_at updated_at');
const DISCLOSURE = columns('id kind person_id organisation_id audience basis due_on state facts created_at released_at');
const NOTICE = columns('disclosure_id person_id role channel at actor recorded_at');
const CONSENT = columns('person_id purpose document_id action at basis evidence actor policy_version recorded_at');

/**
 * PostgreSQL: a thousand rows at a time. The people a chunk names (and any erased addresses
 * among them) are looked up in one query each; what the rows add is written by multi-row
 * inserts (BulkWriter), so a row costs no round trip of its own.
 */
async function postgresStore(db: Db, conn: Kysely<Database>, c: StoreContext): Promise<MemberStore> {
  const writer = new BulkWriter(conn, db.copyFrom!);
  const { stamp } = c;
  const salt = await findErasureSalt(conn);
  let people = new Map<string, { id: number }>();
  let erased = new Set<string>();
  return {
    ...membershipWrites(writer, c),
    async prefetch(rows) {
      // What earlier chunks added is written first, so the lookups see it.
      await writer.flush();
      const keys = [...new Set(rows.map((r) => r.email.key))];
      people = await peopleByKey(conn, keys);
      erased = new Set();
      if (salt) {
        const hashes = new Map(keys.map((k) => [erasedHash(salt, k), k]));
        for (const r of await conn.selectFrom('erased_email').select('hash').where('hash', 'in', [...hashes.keys()]).execute()) erased.add(hashes.get(r.hash)!);
      }
    },
    flush: () => writer.finish(),
    findPerson: (key) => people.get(key)?.id,
    wasErased: (key) => erased.has(key),
    org: orgCache(
      async (key) => {
        const o = await conn.selectFrom('organisation').select(['id', 'name']).where('name_key', '=', key).executeTakeFirst();
        return o && { id: Number(o.id), name: o.name };
      },
      async (name, key) =>
        Number((await conn.insertInto('organisation').values({ name, name_key: key, domain: null, membership: 'non-member', joined_on: null, contact_person_id: null, created_at: stamp.at, updated_at: stamp.at }).returning('id').executeTakeFirstOrThrow()).id),
    ),
    async insertPerson(name, email, key, organisationId, status) {
      const id = await writer.nextId('person');
      await writer.add('person', PERSON, [id, name, email, key, organisationId, status, c.source, stamp.at, stamp.at]);
      people.set(key, { id });
      return id;
    },
    updatePerson: (id, name, organisationId) =>
      conn.updateTable('person').set((eb) => ({ name, organisation_id: organisationId ?? eb.ref('organisation_id'), updated_at: stamp.at })).where('id', '=', id).execute(),
  };
}

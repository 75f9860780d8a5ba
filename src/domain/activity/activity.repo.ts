import type { Db } from '../../db/connection.js';
import { sql } from 'kysely';
import { BulkWriter, type BulkColumn } from '../../db/bulk.js';
import { prepare, type MaybePromise, type Statement } from '../../db/statements.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { peopleByKey } from '../member/member.repo.js';
import { CACHE_LIMIT } from '../shared/cache.js';

/** An activity as listed: who, when, what, on which document. */
export interface ActivityRow {
  id: number;
  at: string;
  email: string;
  action: string;
  document: string | null;
  detail: unknown;
}

export interface ActivityFilter {
  member?: string;
  document?: string;
  action?: string;
  since?: string;
  until?: string;
  limit?: number;
}

/** Activities in time order, filtered; detail parsed back from its JSON text. */
export async function selectActivity(db: Kysely<Database>, f: ActivityFilter & { memberKey?: string }): Promise<ActivityRow[]> {
  let q = db
    .selectFrom('activity as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .leftJoin('document as d', 'd.id', 'a.document_id')
    .select(['a.id', 'a.at', 'p.email', 'a.action', 'd.slug as document', 'a.detail'])
    .orderBy('a.at')
    .orderBy('a.id');
  if (f.memberKey) q = q.where('p.email_key', '=', f.memberKey);
  if (f.document) q = q.where('d.slug', '=', f.document);
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.since) q = q.where('a.at', '>=', f.since);
  if (f.until) q = q.where('a.at', '<', f.until);
  if (f.limit) q = q.limit(f.limit);
  return (await q.execute()).map((r) => ({ ...r, id: Number(r.id), detail: r.detail === null ? null : JSON.parse(r.detail) }));
}

/** A person's activity, oldest first, with each event's document (what a lawful disclosure hands over). */
export function activityOf(db: Kysely<Database>, personId: number) {
  return db.selectFrom('activity as a').leftJoin('document as d', 'd.id', 'a.document_id').select(['a.at', 'a.action', 'd.slug as document', 'a.detail']).where('a.person_id', '=', personId).orderBy('a.at').execute();
}

/** The id of the event recorded for this member, time, action and document, if it is. */
export async function findActivity(db: Kysely<Database>, e: { personId: number; at: string; action: string; documentId: number | null }): Promise<number | undefined> {
  const same = db.selectFrom('activity').select('id').where('person_id', '=', e.personId).where('at', '=', e.at).where('action', '=', e.action);
  const row = await (e.documentId === null ? same.where('document_id', 'is', null) : same.where('document_id', '=', e.documentId)).executeTakeFirst();
  return row && Number(row.id);
}

/** Records one event; returns its id. */
export async function insertActivity(db: Kysely<Database>, row: { person_id: number; at: string; action: string; document_id: number | null; detail: string | null; recorded_at: string }): Promise<number> {
  return Number((await db.insertInto('activity').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

/** Counts one more event of a member on a document (the participation a release reads). */
export async function countParticipation(db: Kysely<Database>, documentId: number, personId: number): Promise<void> {
  await db.insertInto('participation').values({ document_id: documentId, person_id: personId, activities: 1 }).onConflict((oc) => oc.columns(['document_id', 'person_id']).doUpdateSet((eb) => ({ activities: eb('participation.activities', '+', 1) }))).execute();
}

/** Distinct (document, member) pairs whose new activities are summed in memory before they are written. */
export const TALLY_LIMIT = 50_000;

/**
 * Counts each document's new activities per member, and writes the sums (`write`) when it
 * holds TALLY_LIMIT pairs and at flush: one upsert a pair, not one an event (a site log names
 * the same member and document many times).
 */
function participationTally(write: (pairs: Array<[documentId: number, personId: number, activities: number]>) => MaybePromise<unknown>) {
  // By document, then by member: integer keys, no key text made an event.
  let counts = new Map<number, Map<number, number>>();
  let pairs = 0;
  const flush = () => {
    if (!pairs) return;
    const taken = counts;
    counts = new Map();
    pairs = 0;
    // In key order, so that the upserts walk the participation index from one end to the other.
    const byKey = [...taken].sort(([a], [b]) => a - b);
    return write(byKey.flatMap(([documentId, members]) => [...members].sort(([a], [b]) => a - b).map(([personId, n]): [number, number, number] => [documentId, personId, n])));
  };
  return {
    add(documentId: number, personId: number): MaybePromise<unknown> {
      let members = counts.get(documentId);
      if (!members) counts.set(documentId, (members = new Map()));
      const n = members.get(personId);
      members.set(personId, (n ?? 0) + 1);
      if (n === undefined) pairs++;
      return pairs >= TALLY_LIMIT ? flush() : undefined;
    },
    flush,
  };
}

/** A member as an event names it: whether it may be tracked (P5). */
export type TrackedPerson = { id: number; status: string };

/**
 * What the streamed activity import needs of the database (STYLE rule 10): people and documents
 * looked up, and `record`, which writes an event unless it is recorded already (false then) and
 * counts it towards the document's participation. `flush` writes what is held; it runs before
 * every commit.
 */
export interface ActivityImportStatements {
  findPerson: Pick<Statement<TrackedPerson>, 'get'>;
  findDocument: Pick<Statement<{ id: number }>, 'get'>;
  record(personId: number, at: string, action: string, documentId: number | null, detail: string | null, recordedAt: string): MaybePromise<boolean>;
  prefetch?(rows: Array<{ email: { key: string }; at: string }>): Promise<void>;
  flush(): MaybePromise<void>;
}

const FIND_PERSON = 'select id, status from person where email_key = ?';
const FIND_DOCUMENT = 'select id from document where slug = ?';
// Whether an event is recorded (PostgreSQL, for a member no chunk prefetched).
const EXISTS = 'select id from activity where person_id = ? and at = ? and action = ? and document_id is ? limit 1';

/**
 * SQLite's statements, prepared once, a row at a time; SQLite only, since `record` relies on each
 * statement answering at once. Whether the event is recorded already is left to the unique event
 * index (`on conflict … do nothing`), which compares events without a document as equal (0009).
 */
export function sqliteActivityStatements(db: Db, conn: Kysely<Database>): ActivityImportStatements {
  const insert = prepare(db, conn, 'insert into activity (person_id, at, action, document_id, detail, recorded_at) values (?, ?, ?, ?, ?, ?) on conflict (person_id, at, action, coalesce(document_id, 0)) do nothing');
  const count = prepare(db, conn, 'insert into participation (document_id, person_id, activities) values (?, ?, ?) on conflict (document_id, person_id) do update set activities = participation.activities + excluded.activities');
  const tally = participationTally((pairs) => pairs.forEach(([d, p, n]) => count.run(d, p, n)));
  return {
    findPerson: prepare(db, conn, FIND_PERSON),
    findDocument: prepare(db, conn, FIND_DOCUMENT),
    record(personId, at, action, documentId, detail, recordedAt) {
      if (!(insert.run(personId, at, action, documentId, detail, recordedAt) as { changes: number }).changes) return false;
      if (documentId !== null) tally.add(documentId, personId);
      return true;
    },
    flush: () => void tally.flush(),
  };
}

const ACTIVITY: BulkColumn[] = [['person_id', 'bigint'], ['at', 'text'], ['action', 'text'], ['document_id', 'bigint'], ['detail', 'text'], ['recorded_at', 'text']];

/**
 * The same on PostgreSQL, a chunk of rows at a time (import.ts, PREFETCH_ROWS): the members a
 * chunk names that no chunk before it named, and the events already recorded for its members,
 * are read in one query each; new events go out by COPY (BulkWriter), and the per-document
 * counts as one upsert each time TALLY_LIMIT pairs are held, and before each commit.
 */
export function postgresActivityStatements(db: Db, conn: Kysely<Database>): ActivityImportStatements {
  const exists = prepare<{ id: number }>(db, conn, EXISTS);
  const findPerson = prepare<TrackedPerson>(db, conn, FIND_PERSON);
  const writer = new BulkWriter(conn, db.copyFrom!);
  let people = new Map<string, TrackedPerson>();
  // Who each key is, across chunks (null: no such person): a site log names the same people again
  // and again, and a chunk asks the server only for keys it has not answered. Measured, 1M events
  // of 200k members: looking up every chunk's 5,000 keys took 8.5 s of the server's time.
  const answered = new Map<string, TrackedPerson | null>();
  const chunkPeople = async (keys: string[]) => {
    const asked = await peopleByKey(conn, keys.filter((k) => !answered.has(k)));
    const chunk = new Map<string, TrackedPerson>();
    const learnt: Array<[string, TrackedPerson | null]> = [];
    for (const k of keys) {
      const before = answered.get(k);
      const person = before !== undefined ? before : (asked.get(k) ?? null);
      if (before === undefined) learnt.push([k, person]);
      if (person) chunk.set(k, person);
    }
    if (answered.size + learnt.length >= CACHE_LIMIT) answered.clear();
    for (const [k, person] of learnt) answered.set(k, person);
    return chunk;
  };
  let known = new Set<string>();
  let prefetched = new Set<number>();
  const key = (p: number, at: string, action: string, d: number | null) => `${p}\u0000${at}\u0000${action}\u0000${d ?? ''}`;
  const tally = participationTally(async (pairs) => {
    await sql`insert into participation (document_id, person_id, activities)
              select * from unnest(${pairs.map((p) => p[0])}::bigint[], ${pairs.map((p) => p[1])}::bigint[], ${pairs.map((p) => p[2])}::integer[])
              on conflict (document_id, person_id) do update set activities = participation.activities + excluded.activities`.execute(conn);
  });
  return {
    async prefetch(rows) {
      await writer.flush();
      people = await chunkPeople(rows.map((r) => r.email.key));
      const ids = [...new Set([...people.values()].map((p) => p.id))].sort((x, y) => x - y);
      const ats = rows.map((r) => r.at).sort();
      known = new Set();
      prefetched = new Set(ids);
      if (ids.length) {
        // The members' ids as one array, each looked up in the unique event index (see peopleByKey):
        // joined plainly, the planner scans the whole activity table a chunk, a cost that grows
        // with the table (\`offset 0\` keeps the lateral lookup from being flattened into that join).
        const { rows: existing } = await sql<{ person_id: number; at: string; action: string; document_id: number | null }>`
          select a.person_id, a.at, a.action, a.document_id from unnest(${ids}::bigint[]) as m (id)
          cross join lateral (select a.person_id, a.at, a.action, a.document_id from activity a
            where a.person_id = m.id and a.at >= ${ats[0]!} and a.at <= ${ats[ats.length - 1]!} offset 0) a`.execute(conn);
        for (const e of existing) known.add(key(Number(e.person_id), e.at, e.action, e.document_id === null ? null : Number(e.document_id)));
      }
    },
    async flush() {
      await tally.flush();
      await writer.finish();
    },
    findPerson: { get: (k) => people.get(k as string) ?? findPerson.get(k) },
    findDocument: prepare(db, conn, FIND_DOCUMENT),
    async record(personId, at, action, documentId, detail, recordedAt) {
      const k = key(personId, at, action, documentId);
      if (known.has(k)) return false;
      // A member no chunk prefetched (a pipe's rows, read as they come): ask, after writing what is buffered.
      if (!prefetched.has(personId)) {
        await writer.flush();
        if (await exists.get(personId, at, action, documentId)) return false;
      }
      await writer.add('activity', ACTIVITY, [personId, at, action, documentId, detail, recordedAt]);
      known.add(k);
      if (documentId !== null) await tally.add(documentId, personId);
      return true;
    },
  };
}

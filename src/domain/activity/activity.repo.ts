import type { Db } from '../../db/connection.js';
import { sql } from 'kysely';
import { BulkWriter, type BulkColumn } from '../../db/bulk.js';
import { prepare, type Statement } from '../../db/statements.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { peopleByKey } from '../member/member.repo.js';

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

/** Prepared statements for the streamed activity import (STYLE rule 10), on either engine. */
export function activityImportStatements(db: Db, conn: Kysely<Database>): ActivityImportStatements {
  return {
    findPerson: prepare<{ id: number; status: string }>(db, conn, 'select id, status from person where email_key = ?'),
    findDocument: prepare<{ id: number }>(db, conn, 'select id from document where slug = ?'),
    // The unique index does not treat two NULL documents as equal: the existence check covers both.
    exists: prepare<{ id: number }>(db, conn, 'select id from activity where person_id = ? and at = ? and action = ? and document_id is ? limit 1'),
    insert: prepare(db, conn, 'insert into activity (person_id, at, action, document_id, detail, recorded_at) values (?, ?, ?, ?, ?, ?)'),
    count: prepare(db, conn, 'insert into participation (document_id, person_id, activities) values (?, ?, 1) on conflict (document_id, person_id) do update set activities = participation.activities + 1'),
  };
}

export type ActivityImportStatements = {
  findPerson: Pick<Statement<{ id: number; status: string }>, 'get'>;
  findDocument: Pick<Statement<{ id: number }>, 'get'>;
  exists: Pick<Statement<{ id: number }>, 'get'>;
  insert: Pick<Statement<unknown>, 'run'>;
  count: Pick<Statement<unknown>, 'run'>;
  prefetch?(rows: Array<{ email: { key: string }; at: string }>): Promise<void>;
  flush?(): Promise<void>;
};

const ACTIVITY: BulkColumn[] = [['person_id', 'bigint'], ['at', 'text'], ['action', 'text'], ['document_id', 'bigint'], ['detail', 'text'], ['recorded_at', 'text']];

/**
 * The same statements on PostgreSQL, a thousand rows at a time: the members a chunk names,
 * and the events already recorded for them, are read in one query each; new events go out
 * as multi-row inserts, and the per-document counts as one upsert per chunk.
 */
export function activityBulkStatements(db: Db, conn: Kysely<Database>): ActivityImportStatements {
  const one = activityImportStatements(db, conn);
  const writer = new BulkWriter(conn);
  let people = new Map<string, { id: number; status: string }>();
  let known = new Set<string>();
  let prefetched = new Set<number>();
  let counts = new Map<string, number>();
  const key = (p: number, at: string, action: string, d: number | null) => `${p}\u0000${at}\u0000${action}\u0000${d ?? ''}`;
  /** Writes what is buffered (and, before commit, gives back unused ids) and the per-document counts. */
  const flush = async (beforeCommit = false) => {
    await (beforeCommit ? writer.finish() : writer.flush());
    if (!counts.size) return;
    const taken = counts;
    counts = new Map();
    const pairs = [...taken].map(([k, n]) => [...k.split(' ').map(Number), n] as [number, number, number]);
    await sql`insert into participation (document_id, person_id, activities)
              select * from unnest(${pairs.map((p) => p[0])}::bigint[], ${pairs.map((p) => p[1])}::bigint[], ${pairs.map((p) => p[2])}::integer[])
              on conflict (document_id, person_id) do update set activities = participation.activities + excluded.activities`.execute(conn);
  };
  return {
    async prefetch(rows) {
      await flush();
      people = await peopleByKey(conn, rows.map((r) => r.email.key));
      const ids = [...new Set([...people.values()].map((p) => p.id))];
      const ats = rows.map((r) => r.at).sort();
      known = new Set();
      prefetched = new Set(ids);
      if (ids.length) {
        const existing = await conn
          .selectFrom('activity')
          .select(['person_id', 'at', 'action', 'document_id'])
          .where('person_id', 'in', ids)
          .where('at', '>=', ats[0]!)
          .where('at', '<=', ats[ats.length - 1]!)
          .execute();
        for (const e of existing) known.add(key(Number(e.person_id), e.at, e.action, e.document_id === null ? null : Number(e.document_id)));
      }
    },
    flush: () => flush(true),
    findPerson: { get: (k) => people.get(k as string) ?? one.findPerson.get(k) },
    findDocument: one.findDocument,
    exists: {
      get: async (p, at, action, d) => {
        const k = key(p as number, at as string, action as string, d as number | null);
        if (known.has(k)) return { id: 0 };
        // A member no chunk prefetched (a pipe's rows, read as they come): ask, after writing what is buffered.
        if (!prefetched.has(p as number)) {
          await writer.flush();
          return one.exists.get(p, at, action, d);
        }
        return undefined;
      },
    },
    insert: {
      run: async (p, at, action, d, detail, recordedAt) => {
        await writer.add('activity', ACTIVITY, [p, at, action, d, detail, recordedAt]);
        known.add(key(p as number, at as string, action as string, d as number | null));
        return { id: 0, changes: 1 };
      },
    },
    count: {
      run: (d, p) => {
        const k = `${d} ${p}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
        return { id: 0, changes: 1 };
      },
    },
  };
}

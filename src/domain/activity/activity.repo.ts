import type { Db } from '../../db/connection.js';
import { prepare } from '../../db/statements.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

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
export function activityImportStatements(db: Db, conn: Kysely<Database>) {
  return {
    findPerson: prepare<{ id: number; status: string }>(db, conn, 'select id, status from person where email_key = ?'),
    findDocument: prepare<{ id: number }>(db, conn, 'select id from document where slug = ?'),
    // The unique index does not treat two NULL documents as equal: the existence check covers both.
    exists: prepare<{ id: number }>(db, conn, 'select id from activity where person_id = ? and at = ? and action = ? and document_id is ? limit 1'),
    insert: prepare(db, conn, 'insert into activity (person_id, at, action, document_id, detail, recorded_at) values (?, ?, ?, ?, ?, ?)'),
    count: prepare(db, conn, 'insert into participation (document_id, person_id, activities) values (?, ?, 1) on conflict (document_id, person_id) do update set activities = participation.activities + 1'),
  };
}

import type { Kysely } from 'kysely';
import type { BulkColumn } from '../../db/bulk.js';
import type { Db } from '../../db/connection.js';
import type { Database, Purpose } from '../../db/schema/index.js';
import { prepare, type Statement } from '../../db/statements.js';

/** A consent event as stored, with the document's slug for scope. */
export interface ConsentEventRow {
  id: number;
  purpose: Purpose;
  document: string | null;
  action: 'grant' | 'withdraw';
  at: string;
  basis: string;
  evidence: string | null;
  actor: string;
  policy_version: string | null;
  recorded_at: string;
}

/** Every event of one person, in ledger order (time, then insertion). */
export async function consentHistory(db: Kysely<Database>, personId: number): Promise<ConsentEventRow[]> {
  const rows = await db
    .selectFrom('consent_event as c')
    .leftJoin('document as d', 'd.id', 'c.document_id')
    .select(['c.id', 'c.purpose', 'd.slug as document', 'c.action', 'c.at', 'c.basis', 'c.evidence', 'c.actor', 'c.policy_version', 'c.recorded_at'])
    .where('c.person_id', '=', personId)
    .orderBy('c.at')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The latest event of one (person, purpose, scope): the current state. */
export async function latestConsent(db: Kysely<Database>, personId: number, purpose: Purpose, documentId: number | null) {
  let q = db.selectFrom('consent_event').select(['action', 'at', 'basis']).where('person_id', '=', personId).where('purpose', '=', purpose);
  q = documentId === null ? q.where('document_id', 'is', null) : q.where('document_id', '=', documentId);
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export interface NewConsentEvent {
  person_id: number;
  purpose: Purpose;
  document_id: number | null;
  action: 'grant' | 'withdraw';
  at: string;
  basis: 'request' | 'membership-terms' | 'staff-recorded' | 'import';
  evidence: string | null;
  actor: string;
  recorded_at: string;
}

/** Appends one event to the ledger (the ledger is never updated or deleted from). */
export async function insertConsentEvent(db: Kysely<Database>, e: NewConsentEvent): Promise<void> {
  // Every event records the version of the privacy statement in force.
  const policy = await db.selectFrom('policy_version').select('version').orderBy('set_at', 'desc').orderBy('version', 'desc').limit(1).executeTakeFirst();
  await db.insertInto('consent_event').values({ ...e, policy_version: policy?.version ?? null }).execute();
}

/** The consent import's lookups and its insert, a row at a time. */
export interface ConsentImportStatements {
  findPerson: Pick<Statement<{ id: number }>, 'get'>;
  findDocument: Pick<Statement<{ id: number }>, 'get'>;
  latest: Pick<Statement<{ action: string; at: string }>, 'get'>;
  sameEvent: Pick<Statement<{ id: number }>, 'get'>;
  insert: Pick<Statement<unknown>, 'run'>;
}

/** Prepared statements for the consent import (STYLE rule 10), on either engine, a row at a time. */
export function consentImportStatements(db: Db, conn: Kysely<Database>): ConsentImportStatements {
  return {
    findPerson: prepare<{ id: number }>(db, conn, 'select id from person where email_key = ?'),
    findDocument: prepare<{ id: number }>(db, conn, 'select id from document where slug = ?'),
    latest: prepare<{ action: string; at: string }>(db, conn, 'select action, at from consent_event where person_id = ? and purpose = ? and document_id is ? order by at desc, id desc limit 1'),
    sameEvent: prepare<{ id: number }>(db, conn, 'select id from consent_event where person_id = ? and purpose = ? and document_id is ? and action = ? and at = ? limit 1'),
    insert: prepare(db, conn, 'insert into consent_event (person_id, purpose, document_id, action, at, basis, evidence, actor, policy_version, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
  };
}

/** The columns of a consent event, in the order the import's insert gives them (for a bulk writer). */
export const CONSENT_EVENT_COLUMNS: BulkColumn[] = ['person_id', 'purpose', 'document_id', 'action', 'at', 'basis', 'evidence', 'actor', 'policy_version', 'recorded_at'].map((c) => [c, c.endsWith('_id') ? 'bigint' : 'text']);

/** The ledgers of these people, oldest first (time, then insertion): the last event of a scope is its current state. */
export function ledgersOf(db: Kysely<Database>, personIds: number[]): Promise<Array<{ person_id: number; purpose: Purpose; document_id: number | null; action: 'grant' | 'withdraw'; at: string }>> {
  return db.selectFrom('consent_event').select(['person_id', 'purpose', 'document_id', 'action', 'at']).where('person_id', 'in', personIds).orderBy('at').orderBy('id').execute();
}

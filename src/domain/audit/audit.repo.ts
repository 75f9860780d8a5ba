import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { DatabaseError } from '../../errors.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  command: string;
  summary: string;
}

/** The hash version new entries are written with. */
export const AUDIT_HASH_VERSION = 1;

/**
 * The ways an entry's hash is worked out, by the version the entry records. Version 1:
 * sha256(prev_hash + canonical JSON of the entry's fields). A new version is added here, never
 * changed, so entries written before it still verify.
 */
const HASHES: Record<number, (prevHash: string, e: AuditFields) => string> = {
  1: (prevHash, e) => createHash('sha256').update(prevHash + JSON.stringify([e.seq, e.at, e.actor, e.command, e.summary])).digest('hex'),
};

/** An entry's hash by the given version (the current one by default); undefined for a version this consort does not know. */
export function auditHash(prevHash: string, e: AuditFields, version = AUDIT_HASH_VERSION): string | undefined {
  return HASHES[version]?.(prevHash, e);
}

/**
 * Appends one entry at the end of the chain; call it inside the transaction that made the change.
 * It follows the recorded head (audit_head), not the last row, so entries cut from the end stay a
 * gap that audit verify names, rather than being written over by the next change. A log that
 * goes on past its head (entries added, or the head removed, by hand) takes no more entries.
 */
export async function appendAuditEntry(db: Kysely<Database>, entry: Omit<AuditFields, 'seq'>): Promise<AuditFields & { hash: string }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
  const seq = Number(head?.seq ?? 0) + 1;
  const prev_hash = head?.hash ?? GENESIS_HASH;
  const beyond = await db.selectFrom('audit_entry').select('seq').where('seq', '>=', seq).limit(1).executeTakeFirst();
  if (beyond && !head) throw new DatabaseError(`the audit log's record of its last entry (audit_head) is missing; nothing was changed`, 'run consort audit verify, and restore the database from a backup');
  if (beyond) throw new DatabaseError(`the audit log goes on past the last entry consort wrote (entry ${Number(beyond.seq)}); nothing was changed`, 'run consort audit verify, and restore the database from a backup');
  const full = { ...entry, seq };
  const hash = auditHash(prev_hash, full)!;
  await db.insertInto('audit_entry').values({ ...full, prev_hash, hash, hash_version: AUDIT_HASH_VERSION }).execute();
  if (head) await db.updateTable('audit_head').set({ seq, hash }).execute();
  else await db.insertInto('audit_head').values({ seq, hash }).execute();
  return { ...full, hash };
}

/** Audit entries newest first, those at or after `since`, before `until` and by `actor` (each when given), the newest `limit`. */
export async function listAuditEntries(db: Kysely<Database>, f: { since?: string; until?: string; actor?: string; limit?: number }) {
  let q = db.selectFrom('audit_entry').selectAll().orderBy('seq', 'desc');
  if (f.since) q = q.where('at', '>=', f.since);
  if (f.until) q = q.where('at', '<', f.until);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.limit) q = q.limit(f.limit);
  return (await q.execute()).map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** Every audit entry, in the chain's order. */
export function listAuditChain(db: Kysely<Database>) {
  return db.selectFrom('audit_entry').selectAll().orderBy('seq').execute();
}

/** Every row of audit_head (the record of the log's last entry; one, when all is well). */
export function listAuditHeads(db: Kysely<Database>) {
  return db.selectFrom('audit_head').select(['seq', 'hash']).execute();
}

/** Whether the audit log holds any entry. */
export async function hasAuditEntries(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await db.selectFrom('audit_entry').select('seq').limit(1).executeTakeFirst());
}

/** Whether consort demo wrote an entry in the audit log (SQLite, through the raw handle: no query builder needed). */
export function hasDemoAuditEntry(db: Db): boolean {
  return Boolean(db.sqlite.prepare("select 1 from audit_entry where command = 'demo' limit 1").get());
}

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  command: string;
  summary: string;
}

/** hash = sha256(prev_hash + canonical JSON of the entry's fields). */
export function auditHash(prevHash: string, e: AuditFields): string {
  return createHash('sha256').update(prevHash + JSON.stringify([e.seq, e.at, e.actor, e.command, e.summary])).digest('hex');
}

/** Appends one entry at the end of the chain; call it inside the transaction that made the change. */
export async function appendAuditEntry(db: Kysely<Database>, entry: Omit<AuditFields, 'seq'>): Promise<AuditFields & { hash: string }> {
  const last = await db.selectFrom('audit_entry').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  const prev_hash = last?.hash ?? GENESIS_HASH;
  const full = { ...entry, seq };
  const hash = auditHash(prev_hash, full);
  await db.insertInto('audit_entry').values({ ...full, prev_hash, hash }).execute();
  // The chain cannot show its newest entries removed; the head, written with each entry, can.
  if (last) await db.updateTable('audit_head').set({ seq, hash }).execute();
  else await db.insertInto('audit_head').values({ seq, hash }).execute();
  return { ...full, hash };
}

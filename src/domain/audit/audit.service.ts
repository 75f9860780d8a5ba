import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { auditHash, GENESIS_HASH } from './audit.repo.js';

/** Who did what and when: stamped on every change and export. */
export interface Stamp {
  at: string;
  actor: string;
  command: string;
}

export interface AuditListFilter {
  since?: string;
  actor?: string;
  limit?: number;
}

/** Lists audit entries in order, oldest first. */
export async function listAudit(db: Db, f: AuditListFilter) {
  let q = db.kysely.selectFrom('audit_entry').selectAll().orderBy('seq');
  if (f.since) q = q.where('at', '>=', f.since);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.limit) q = q.limit(f.limit);
  return (await q.execute()).map((r) => ({ ...r, seq: Number(r.seq) }));
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  head: string;
  firstBad?: { seq: number; reason: string };
}

/** Walks the whole chain: sequence without gaps, each prev_hash the hash before it, each hash recomputed. */
export async function verifyAudit(db: Kysely<Database> | Db): Promise<AuditVerdict> {
  const k = 'kysely' in db ? db.kysely : db;
  const rows = await k.selectFrom('audit_entry').selectAll().orderBy('seq').execute();
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    const bad = (reason: string): AuditVerdict => ({ ok: false, entries: rows.length, head: prev, firstBad: { seq, reason } });
    if (seq !== expected) return bad(`entry ${expected}${seq > expected + 1 ? `–${seq - 1}` : ''} is missing`);
    if (r.prev_hash !== prev) return bad('prev_hash does not match the entry before it');
    if (auditHash(prev, { seq, at: r.at, actor: r.actor, command: r.command, summary: r.summary }) !== r.hash) return bad('entry was altered (hash mismatch)');
    prev = r.hash;
    expected++;
  }
  // Entries cut from the end leave a chain that still links up: the log must end at its recorded head.
  const last = rows.length;
  const heads = await k.selectFrom('audit_head').select(['seq', 'hash']).execute();
  const recorded = heads.length === 1 ? { seq: Number(heads[0]!.seq), hash: heads[0]!.hash } : undefined;
  const headBad = (seq: number, reason: string): AuditVerdict => ({ ok: false, entries: last, head: prev, firstBad: { seq, reason } });
  if (heads.length > 1 || (last > 0 && !recorded)) return headBad(last, 'the record of where the log ends (audit_head) is missing or doubled');
  if (recorded) {
    if (recorded.seq > last) return headBad(last + 1, `entry ${last + 1}${recorded.seq > last + 1 ? `–${recorded.seq}` : ''} is missing from the end of the log`);
    if (recorded.seq < last) return headBad(recorded.seq + 1, 'entry was added after the last one consort wrote (audit_head)');
    if (recorded.hash !== prev) return headBad(last, 'the last entry is not the one consort wrote (its hash differs from audit_head)');
  }
  return { ok: true, entries: last, head: prev };
}

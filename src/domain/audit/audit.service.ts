import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { auditHash, GENESIS_HASH, listAuditChain, listAuditEntries, listAuditHeads } from './audit.repo.js';

/** Who did what and when: stamped on every change and export. */
export interface Stamp {
  at: string;
  actor: string;
  command: string;
}

export interface AuditListFilter {
  since?: string;
  until?: string;
  actor?: string;
  /** The newest N entries (of those the filter keeps). */
  limit?: number;
  /** Newest first, as git log; else in the chain's order, oldest first. */
  newestFirst?: boolean;
}

/** Lists audit entries, in the chain's order or newest first; a limit keeps the newest. */
export async function listAudit(db: Db, f: AuditListFilter) {
  const rows = await listAuditEntries(db.kysely, f);
  return f.newestFirst ? rows : rows.reverse();
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
  const rows = await listAuditChain(k);
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    const bad = (reason: string): AuditVerdict => ({ ok: false, entries: rows.length, head: prev, firstBad: { seq, reason } });
    if (seq !== expected) return bad(`entry ${expected}${seq > expected + 1 ? `–${seq - 1}` : ''} is missing`);
    if (r.prev_hash !== prev) return bad('prev_hash does not match the entry before it');
    const version = Number(r.hash_version);
    const hash = auditHash(prev, { seq, at: r.at, actor: r.actor, command: r.command, summary: r.summary }, version);
    if (hash === undefined) return bad(`entry is hashed by version ${version}, which this consort does not know (a newer consort wrote it, or the version was altered)`);
    if (hash !== r.hash) return bad('entry was altered (hash mismatch)');
    prev = r.hash;
    expected++;
  }
  // Entries cut from the end leave a chain that still links up: the log must end at its recorded head.
  const last = rows.length;
  const heads = await listAuditHeads(k);
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

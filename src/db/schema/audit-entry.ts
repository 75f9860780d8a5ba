import type { Generated } from 'kysely';

/** Append-only and hash-chained: hash = sha256(prev_hash + canonical entry). */
export interface AuditEntryTable {
  seq: number;
  at: string;
  actor: string;
  command: string;
  summary: string;
  prev_hash: string;
  hash: string;
  /** How the hash was worked out (see auditHash); 1 for every entry so far. */
  hash_version: Generated<number>;
}

/** The last entry's seq and hash, written with it (one row once the log has an entry): shows the log cut short. */
export interface AuditHeadTable {
  seq: number;
  hash: string;
}

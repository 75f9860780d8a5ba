/** Append-only and hash-chained: hash = sha256(prev_hash + canonical entry). */
export interface AuditEntryTable {
  seq: number;
  at: string;
  actor: string;
  command: string;
  summary: string;
  prev_hash: string;
  hash: string;
}

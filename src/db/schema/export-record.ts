import type { Generated } from 'kysely';

/** Every export: what, for which purpose and audience, how many rows, and the sha256 of the bytes written. */
export interface ExportRecordTable {
  id: Generated<number>;
  kind: string;
  purpose: string;
  audience: string;
  at: string;
  actor: string;
  row_count: number;
  sha256: string;
  destination: string | null;
}

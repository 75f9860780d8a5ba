import type { Generated } from 'kysely';

/** One action of a member on the private site (P5: members only). */
export interface ActivityTable {
  id: Generated<number>;
  person_id: number;
  at: string;
  action: string;
  document_id: number | null;
  /** JSON text, as given. */
  detail: string | null;
  recorded_at: string;
}

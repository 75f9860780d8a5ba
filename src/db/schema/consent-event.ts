import type { Generated } from 'kysely';

export const PURPOSES = ['newsletter', 'directory', 'announcement', 'credit'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const BASES = ['request', 'membership-terms', 'staff-recorded', 'import'] as const;
export type Basis = (typeof BASES)[number];
export type ConsentAction = 'grant' | 'withdraw';

/** Append-only: a trigger refuses UPDATE and DELETE. The latest event per (person, purpose, document) is the state. */
export interface ConsentEventTable {
  id: Generated<number>;
  person_id: number;
  purpose: Purpose;
  /** Scope: a document for a per-document `credit`; null for a blanket consent. */
  document_id: number | null;
  action: ConsentAction;
  at: string;
  basis: Basis;
  evidence: string | null;
  actor: string;
  policy_version: string | null;
  recorded_at: string;
}

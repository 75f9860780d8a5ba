import type { Generated } from 'kysely';

export type PersonStatus = 'contact' | 'member' | 'former';

export interface PersonTable {
  id: Generated<number>;
  name: string;
  /** As given, trimmed and NFC-normalised. */
  email: string;
  /** Lower-cased email: unique, so addresses differing only in case are one person. */
  email_key: string;
  organisation_id: number | null;
  status: PersonStatus;
  source: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the person was erased: name, email and links are gone, a pseudonym remains. */
  erased_at: string | null;
}

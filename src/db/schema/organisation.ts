import type { Generated } from 'kysely';

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  /** Lower-cased name: organisation names are unique case-insensitively. */
  name_key: string;
  domain: string | null;
  membership: 'member' | 'non-member';
  joined_on: string | null;
  contact_person_id: number | null;
  created_at: string;
  updated_at: string;
}

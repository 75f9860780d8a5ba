import type { Generated } from 'kysely';

export type DocumentStatus = 'draft' | 'scheduled' | 'released';

export interface DocumentTable {
  id: Generated<number>;
  slug: string;
  title: string;
  status: Generated<DocumentStatus>;
  release_on: string | null;
  released_at: string | null;
  /** How many times it was released; credit disclosures carry the edition they belong to. */
  edition: Generated<number>;
  created_at: string;
  updated_at: string;
}

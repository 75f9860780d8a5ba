import type { Generated } from 'kysely';

export type DisclosureKind = 'credit' | 'announcement' | 'directory' | 'legal';
export type Audience = 'public' | 'members' | 'third-party';
export type DisclosureState = 'planned' | 'released' | 'cancelled';

/** A release of facts about a person (or organisation) to an audience; frozen once released. */
export interface DisclosureTable {
  id: Generated<number>;
  kind: DisclosureKind;
  person_id: number | null;
  organisation_id: number | null;
  document_id: number | null;
  /** Which release of the document (credit disclosures). */
  edition: number | null;
  audience: Audience;
  recipient: string | null;
  basis: string | null;
  due_on: string;
  state: Generated<DisclosureState>;
  /** JSON: exactly the facts released (or to be released). */
  facts: string;
  created_at: string;
  released_at: string | null;
  cancelled_at: string | null;
  /** Why the subject is not told (e.g. a court order), for a lawful disclosure. */
  no_notice_reason: string | null;
}

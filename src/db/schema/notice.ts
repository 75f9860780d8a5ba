import type { Generated } from 'kysely';

/** A person informed of a disclosure (the subject, or an organisation's contact), when and how (P9). */
export interface NoticeTable {
  id: Generated<number>;
  disclosure_id: number;
  person_id: number;
  role: 'subject' | 'organisation-contact';
  channel: string;
  at: string;
  actor: string;
  recorded_at: string;
}

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
  /** The Message-ID of the email that gave it, when consort sent it or it was recorded from an mbox. */
  message_id: string | null;
  /** The mail server's reply when it accepted the message (notice send). */
  reply: string | null;
}

export type DeliveryState = 'sending' | 'sent' | 'deferred' | 'failed' | 'uncertain';

/** One message of `notice send`: what consort knows of it between connecting and the server's answer. */
export interface NoticeDeliveryTable {
  id: Generated<number>;
  message_id: string;
  disclosure_id: number;
  person_id: number;
  role: 'subject' | 'organisation-contact';
  address: string;
  state: DeliveryState;
  attempts: Generated<number>;
  reason: string | null;
  started_at: string;
  updated_at: string;
}

/** A problem of `disclosures check` that staff reviewed and accepted, valid while its facts stay the same. */
export interface ProblemAckTable {
  problem_id: string;
  fingerprint: string;
  reason: string;
  actor: string;
  at: string;
}

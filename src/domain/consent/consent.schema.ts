import { z } from 'zod';
import { PURPOSES } from '../../db/schema/index.js';
import { emailCell, optionalTextCell, timeCell } from '../schema.js';

export const CONSENT_COLUMNS = { known: ['email', 'purpose', 'action', 'document', 'at', 'evidence'], required: ['email', 'purpose', 'action'] } as const;

const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

/** One row of a consent CSV (SPEC section 5), e.g. an unsubscribe coming back from the mailer. */
export const consentRowSchema = z
  .object({
    email: emailCell,
    purpose: z.preprocess(lower, z.enum(PURPOSES, { error: `expected one of ${PURPOSES.join(', ')}` })),
    action: z.preprocess(lower, z.enum(['grant', 'withdraw'], { error: "expected 'grant' or 'withdraw'" })),
    document: optionalTextCell(100),
    at: timeCell,
    evidence: optionalTextCell(1000),
  })
  .refine((r) => r.document === undefined || r.purpose === 'credit', { path: ['document'], message: 'a document applies only to the credit purpose' });

export type ConsentRow = z.infer<typeof consentRowSchema>;

import { z } from 'zod';
import { BASES, PURPOSES, type Basis, type Purpose } from '../../db/schema/index.js';
import { pastTimeOption, refuse } from '../shared/options.js';
import { emailCell, optionalTextCell, timeCell } from '../shared/schema.js';

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

/**
 * `consent grant|withdraw`'s PURPOSE and options, in the order they are checked (the document
 * scope before the time); `at` is checked against `now`.
 */
export const consentChangeOptions = (now: string) =>
  z
    .object({
      purpose: z.string().transform((p, ctx) => ((PURPOSES as readonly string[]).includes(p) ? (p as Purpose) : refuse(ctx, `unknown purpose '${p}'`, `use one of: ${PURPOSES.join(', ')}`))),
      basis: z
        .string()
        .optional()
        .transform((b, ctx) => (b === undefined || (BASES as readonly string[]).includes(b) ? (b as Basis | undefined) : refuse(ctx, `unknown basis '${b}'`, `use one of: ${BASES.join(', ')}`))),
      document: z.string().optional(),
    })
    .refine((o) => o.document === undefined || o.purpose === 'credit', { path: ['document'], message: '{flag} applies only to the credit purpose', params: { hint: 'drop {flag}, or use purpose credit' } })
    .and(z.object({ evidence: z.string().optional(), at: pastTimeOption(now, 'consent is recorded when it was given') }));

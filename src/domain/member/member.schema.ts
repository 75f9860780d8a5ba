import { z } from 'zod';
import type { PersonStatus } from '../../db/schema/index.js';
import { choiceOption, refuse } from '../shared/options.js';
import { emailCell, optionalTextCell, textCell, yesNoCell } from '../shared/schema.js';

/**
 * The members file's columns; `member list` writes organisation and its read-only columns
 * (created; id, source, created_at, updated_at in JSON), which an import reads back and ignores.
 */
export const MEMBER_COLUMNS = {
  known: ['name', 'email', 'organization', 'status', 'newsletter'],
  required: ['name', 'email'],
  aliases: { organisation: 'organization' },
  ignored: ['created', 'id', 'source', 'created_at', 'updated_at'],
} as const;

/** One row of a members CSV or NDJSON file (SPEC section 5). */
export const memberRowSchema = z.object({
  name: textCell(300),
  email: emailCell,
  organization: optionalTextCell(200),
  status: z.preprocess((v) => (v === '' || v === null || v === undefined ? 'contact' : typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['member', 'contact'], { error: "expected 'member' or 'contact'" })),
  newsletter: yesNoCell,
});

export type MemberRow = z.infer<typeof memberRowSchema>;

/** A status option: one of `allowed`, in any case. */
const statusOption = <const T extends readonly PersonStatus[]>(allowed: T) => choiceOption(allowed, `use one of: ${allowed.join(', ')}`, (s) => s.trim().toLowerCase());

/** `member add`'s checked option: a new person is a member or a contact. */
export const memberAddOptions = z.object({ status: statusOption(['member', 'contact']) });

/** `member list`'s and `member update`'s checked option: any status a person may have. */
export const memberStatusOptions = z.object({ status: statusOption(['member', 'contact', 'former']) });

/** `member erase`'s checked option: why, which the audit log keeps. */
export const memberEraseOptions = z.object({
  reason: z
    .string()
    .optional()
    .transform((raw, ctx) => (raw?.trim() ? raw : refuse(ctx, 'missing {flag}', 'say why, e.g. {flag} "request of 2026-03-01"'))),
});

import { z } from 'zod';
import { emailCell, optionalTextCell, textCell } from '../shared/schema.js';
import { pastTimeOption, refuse } from '../shared/options.js';
import { parseIsoTime } from '../shared/time.js';

/** The site log's columns; `activity list` writes these and an id (NDJSON), which an import ignores. */
export const ACTIVITY_COLUMNS = { known: ['email', 'action', 'at', 'document', 'detail'], required: ['email', 'action', 'at'], ignored: ['id'] } as const;

/** A detail cell: a JSON object, given as one (NDJSON) or as JSON text (CSV); kept as JSON text. */
const detailCell = z.unknown().transform((v, ctx) => {
  if (v === undefined || v === null || v === '') return undefined;
  let value = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object (or, in CSV, the JSON text of one)' });
      return z.NEVER;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
    return z.NEVER;
  }
  const text = JSON.stringify(value);
  if (text.length > 10000) {
    ctx.addIssue({ code: 'custom', message: 'longer than 10000 characters' });
    return z.NEVER;
  }
  return text;
});

/** One site-log event (SPEC section 5): {"email","action","at","document"?,"detail"?}. */
export const activityRowSchema = z.object({
  email: emailCell,
  action: textCell(100),
  at: z.preprocess((v) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)), z.string()).transform((s, ctx) => {
    const t = parseIsoTime(s);
    if (!t) {
      ctx.addIssue({ code: 'custom', message: s === '' ? 'required' : `not an ISO 8601 time: '${s}'` });
      return z.NEVER;
    }
    return t;
  }),
  document: optionalTextCell(100),
  detail: detailCell.optional(),
});

export type ActivityRow = z.infer<typeof activityRowSchema>;

/** `activity log`'s ACTION and options, in the order they are checked; `at` is checked against `now`. */
export const activityLogOptions = (now: string) =>
  z.object({
    action: z.string().transform((raw, ctx) => {
      const action = raw.trim().normalize('NFC');
      return !action || action.length > 100 ? refuse(ctx, 'ACTION must be 1 to 100 characters', 'e.g. consort activity log ada@example.org comment {flag:document} spec-1') : action;
    }),
    at: pastTimeOption(now),
    /** Kept as the JSON text of the object. */
    detail: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return undefined;
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          return refuse(ctx, '{flag} is not valid JSON', `e.g. {flag} '{"page":"/spec-1"}'`);
        }
        return typeof value !== 'object' || value === null || Array.isArray(value) ? refuse(ctx, '{flag} must be a JSON object') : JSON.stringify(value);
      }),
    document: z.string().optional(),
  });

export type ActivityLogOptions = z.output<ReturnType<typeof activityLogOptions>>;

/** `activity import`'s checked options: a rejects file only with skipped invalid lines, and the batch size of a pipe. */
export const activityImportOptions = z
  .object({ rejects: z.string().optional(), skipInvalid: z.boolean().optional() })
  .refine((o) => !o.rejects || o.skipInvalid, { path: ['rejects'], message: '{flag} needs {flag:skipInvalid}', params: { hint: 'without it a bad line stops the import' } })
  .and(
    z.object({
      dryRun: z.boolean().optional(),
      batchRows: z.string().transform((raw, ctx) => {
        const rows = Number(raw);
        return !Number.isInteger(rows) || rows < 1 ? refuse(ctx, '{flag} must be a positive whole number') : rows;
      }),
    }),
  );

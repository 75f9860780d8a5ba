import { z } from 'zod';
import { emailCell, optionalTextCell, textCell } from '../schema.js';
import { parseIsoTime } from '../time.js';

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

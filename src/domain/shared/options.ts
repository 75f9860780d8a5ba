import { z } from 'zod';
import { parseIsoDate, parseIsoTime } from './time.js';

/*
 * Building blocks of the command options' schemas (<area>.schema.ts). An option's words never
 * name its flag: `{flag}` stands for the option an issue is about, and `{flag:name}` for another;
 * src/cli/options.ts writes them as the command line spells them. A hint goes in the issue's params.
 */

/** Adds an issue with its hint, and returns zod's NEVER (for a transform that refuses its value). */
export function refuse(ctx: z.RefinementCtx, message: string, hint?: string): never {
  ctx.addIssue({ code: 'custom', message, params: hint === undefined ? undefined : { hint } });
  return z.NEVER;
}

/** An optional ISO 8601 time, not after `now` (a time something was done). */
export const pastTimeOption = (now: string, futureHint?: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const t = parseIsoTime(raw);
      if (!t) return refuse(ctx, `{flag} is not an ISO 8601 time: '${raw}'`, 'e.g. {flag} 2026-01-31T09:00:00Z');
      if (t > now) return refuse(ctx, `{flag} ${t} is in the future`, futureHint);
      return t;
    });

/** An optional calendar date (YYYY-MM-DD), not before `today` when it is given. */
export const dateOption = (example: string, today?: { date: string; pastHint: string }) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const d = parseIsoDate(raw);
      if (!d) return refuse(ctx, `{flag} is not a date (YYYY-MM-DD): '${raw}'`, `e.g. {flag} ${example}`);
      if (today && d < today.date) return refuse(ctx, `{flag} ${d} is in the past`, today.pastHint);
      return d;
    });

/** An optional choice among `values`, as given (`normalise` first, if the option is lenient). */
export const choiceOption = <const T extends readonly string[]>(values: T, hint: string, normalise: (s: string) => string = (s) => s) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const v = normalise(raw);
      return (values as readonly string[]).includes(v) ? (v as T[number]) : refuse(ctx, `invalid {flag} '${raw}'`, hint);
    });

/** Printable text of 1 to `max` characters, trimmed (an audited reason, say). */
export const printableOption = (max: number, hint?: string) =>
  z.string().transform((raw, ctx) => {
    const s = raw.trim();
    return !s || s.length > max || /[\x00-\x1f\x7f]/.test(s) ? refuse(ctx, `{flag} must be 1 to ${max} printable characters`, hint) : s;
  });

/** A forcing option (past a P9 refusal, say) and its reason: forcing needs one, to audit; `what` is what cannot wait. */
export const forcedOptions = (what: string) =>
  z
    .object({ force: z.boolean().optional(), reason: z.string().optional() })
    .refine((o) => !o.force || o.reason?.trim(), { path: ['force'], message: '{flag} needs {flag:reason}', params: { hint: `say why the ${what} cannot wait for the notices` } });

import { z } from 'zod';
import type { InputProblem } from '../../errors.js';
import { normaliseEmail } from './email.js';
import { cleanText } from './text.js';
import { parseIsoTime } from './time.js';

/** A row that could not be read or applied; `conflict` marks duplicates refused when duplicates fail the import. */
export interface RowProblem extends InputProblem {
  conflict?: boolean;
}

/** Turns zod issues into `file:line: field: reason` problems. */
export function zodProblems(error: z.ZodError, source: string, line: number): RowProblem[] {
  return error.issues.map((i) => ({ source, line, field: i.path.length ? i.path.join('.') : undefined, reason: i.message }));
}

/** An import row parser from a zod schema: the typed row, or its problems located in the file. */
export function rowParser<T>(schema: z.ZodType<T>) {
  return (fields: Record<string, unknown>, line: number, source: string): T | RowProblem[] => {
    const r = schema.safeParse(fields);
    return r.success ? r.data : zodProblems(r.error, source, line);
  };
}

const asText = (v: unknown) => (typeof v === 'number' ? String(v) : v);

/**
 * A required free-text cell, checked as every free text is (cleanText: trimmed, NFC, bounded, no
 * NUL, no lone surrogate). A cell is one problem, its first fault, however many it has.
 */
export const textCell = (max: number) =>
  z.preprocess(asText, z.string({ error: 'required' })).transform((s, ctx) => {
    const r = cleanText(s, max);
    if ('value' in r) return r.value;
    // An empty cell is a missing one, as every other required cell reports it.
    ctx.addIssue({ code: 'custom', message: s.trim() === '' ? 'required' : r.error });
    return z.NEVER;
  });

/** An optional free-text cell: empty means absent. */
export const optionalTextCell = (max: number) => z.preprocess((v) => (v === '' || v === null ? undefined : asText(v)), textCell(max).optional());

/** An email cell, normalised; the reason names what is wrong with the address. */
export const emailCell = z.preprocess(asText, z.string({ error: 'required' })).transform((s, ctx) => {
  const r = normaliseEmail(s);
  if ('error' in r) {
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  }
  return r;
});

/** A yes/no cell (yes/no/true/false/1/0). */
export const yesNoCell = z.unknown().transform((v, ctx) => {
  const b = parseYesNo(v);
  if (b === 'invalid') {
    ctx.addIssue({ code: 'custom', message: `expected yes/no/true/false/1/0, got '${String(v)}'` });
    return z.NEVER;
  }
  return b;
}).optional();

/** An optional ISO 8601 time cell, canonicalised to UTC. */
export const timeCell = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().optional()).transform((s, ctx) => {
  if (s === undefined) return undefined;
  const t = parseIsoTime(s);
  if (!t) {
    ctx.addIssue({ code: 'custom', message: `not an ISO 8601 time: '${s}'` });
    return z.NEVER;
  }
  return t;
});

/** Reads a yes/no cell: yes/no/true/false/1/0, any case; empty is undefined. */
export function parseYesNo(v: unknown): boolean | undefined | 'invalid' {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : 'invalid';
  const s = String(v).trim().toLowerCase();
  if (['yes', 'true', '1', 'y'].includes(s)) return true;
  if (['no', 'false', '0', 'n'].includes(s)) return false;
  return s === '' ? undefined : 'invalid';
}

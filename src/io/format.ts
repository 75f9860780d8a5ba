import { UsageError } from '../errors.js';
import { humanTime } from '../domain/shared/time.js';
import { csvLine } from './csv.js';
import type { Output } from './output.js';
import { safeJson, sanitizeForTerminal, sanitizeInline } from './sanitize.js';
import { tsvLine } from './tsv.js';

export const LIST_FORMATS = ['table', 'tsv', 'csv', 'json', 'ndjson'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/**
 * How a terminal table treats a column: `fixed` values (an email, id, code, slug, status, date,
 * time) are never broken or shortened; `text` (a name, title, message) is shortened with `…`.
 */
export type ColumnKind = 'fixed' | 'text';

/** A column of a list: its header, how to read it from a record, and how it fits a terminal. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
  /** Unset: `text` for the headers of free text (name, title, message, facts, …), else `fixed`. */
  kind?: ColumnKind;
}

/** Headers whose columns hold free text when a column does not say its kind. */
const TEXT_HEADERS = new Set(['name', 'title', 'organisation', 'organization', 'message', 'facts', 'summary', 'about', 'detail', 'evidence', 'why not', 'audience', 'reason', 'description']);

/** A column's kind, said or inferred from its header. */
export function columnKind(c: Column<unknown>): ColumnKind {
  return c.kind ?? (TEXT_HEADERS.has(c.header) ? 'text' : 'fixed');
}

/** States a terminal shows in the alert colour. */
const ALERT_STATES = new Set(['withdrawn', 'overdue', 'not informed', 'too late']);

/** Checks --format against the formats a command supports; undefined falls back to `fallback`. */
export function pickFormat<F extends string>(given: string | undefined, allowed: readonly F[], fallback: F): F {
  if (given === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(given)) {
    throw new UsageError(`unknown --format '${given}' for this command`, `use one of: ${allowed.join(', ')}`);
  }
  return given as F;
}

/** The list format: --format if given, else a table on a terminal and TSV with a header when piped. */
export function listFormat(out: Output, given: string | undefined): ListFormat {
  return pickFormat(given, LIST_FORMATS, out.stdoutIsTTY ? 'table' : 'tsv');
}

/** What an empty list says on a terminal (on stderr) unless the command names it. */
const NOTHING = 'nothing to list';

/**
 * Rows handed over a page at a time (`disclosures check` hands over its problems so), so that a
 * page costs one write and one await rather than one of each a row (bench/README: at 300k rows,
 * a row at a time through async generators took 0.21–0.27 s, pages 0.02–0.03 s).
 */
export interface Pages<T> {
  pages: AsyncIterable<readonly T[]>;
}

/** What renderList prints: a list in memory, rows streamed one by one, or pages of them. */
export type ListRows<T> = Iterable<T> | AsyncIterable<T> | Pages<T>;

/** Rows of a list in memory written a page at a time, so that no output is built whole. */
const PAGE = 1000;

/** The rows as pages: a streamed row is a page of its own, as soon as it comes. */
async function* pagesOf<T>(rows: ListRows<T>): AsyncGenerator<readonly T[]> {
  if ('pages' in rows) yield* rows.pages;
  else if (Symbol.iterator in rows) {
    let page: T[] = [];
    for (const row of rows) {
      page.push(row);
      if (page.length === PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  } else for await (const row of rows) yield [row];
}

/**
 * Prints records in a list format. JSON and NDJSON print the records themselves
 * (the documented objects); the other formats print the columns. On a terminal, an empty
 * table says `opts.empty` (else "nothing to list") on stderr, and the output goes through the pager.
 */
export async function renderList<T>(out: Output, format: ListFormat, columns: Column<T>[], rows: ListRows<T>, opts: { empty?: string } = {}): Promise<number> {
  let count = 0;
  const tty = out.stdoutIsTTY;
  out.page();
  if (format === 'table') {
    const cells: string[][] = [];
    const now = out.now();
    const tz = out.streams.env.TZ;
    for await (const page of pagesOf(rows)) {
      for (const row of page) cells.push(columns.map((c) => { const v = c.value(row); return v === null || v === undefined ? '' : humanTimes(sanitizeInline(String(v)), now, tz); }));
    }
    count = cells.length;
    if (count) {
      const { drawTable } = await import('./table.js');
      const c = out.color;
      const table = drawTable(columns.map((col) => col.header), cells, columns.map((col) => columnKind(col as Column<unknown>)), {
        width: out.width,
        header: c.level ? c.bold : undefined,
        cell: c.level ? (_i, text) => (ALERT_STATES.has(text) ? c.alert(text) : text) : undefined,
      });
      await out.data(table + '\n');
    } else if (tty) out.info(opts.empty ?? NOTHING);
  } else {
    // Each page as one text: the records themselves (JSON, NDJSON), or their columns a line each.
    // `before` is how many records came before the page (JSON's first has no comma).
    let linesOf: (page: readonly T[], before: number) => string;
    if (format === 'json') linesOf = (page, before) => page.map((row, i) => (before + i ? ',\n' : '\n') + safeJson(row)).join('');
    else if (format === 'ndjson') linesOf = (page) => page.map((row) => safeJson(row) + '\n').join('');
    else {
      const line = format === 'csv' ? csvLine : tsvLine;
      const clean = (v: unknown) => (tty && typeof v === 'string' ? sanitizeForTerminal(v) : v);
      linesOf = (page) => page.map((row) => line(columns.map((c) => clean(c.value(row))))).join('');
      await out.data(line(columns.map((c) => c.header)));
    }
    if (format === 'json') await out.data('[');
    for await (const page of pagesOf(rows)) {
      await out.data(linesOf(page, count));
      count += page.length;
    }
    if (format === 'json') await out.data(count ? '\n]\n' : ']\n');
  }
  await out.flush();
  return count;
}

/** Every UTC time in a terminal view's text, local and short (or relative for the last day). */
export function humanTimes(text: string, now: string, tz: string | undefined): string {
  return text.includes('T') ? text.replace(INSTANTS, (t) => humanTime(t, now, tz)) : text;
}

const INSTANTS = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;

/** Prints one record: as JSON, or as aligned `field  value` lines for people. */
export async function renderRecord(out: Output, format: string | undefined, record: object, fields?: Array<[string, unknown]>): Promise<void> {
  const f = pickFormat(format, ['text', 'json', 'table', 'tsv', 'csv', 'ndjson'] as const, out.stdoutIsTTY ? 'text' : 'json');
  if (f === 'json') return out.data(safeJson(record, 2) + '\n').then(() => out.flush());
  if (f === 'ndjson') return out.data(safeJson(record) + '\n').then(() => out.flush());
  const pairs = fields ?? Object.entries(record);
  if (f === 'csv' || f === 'tsv') {
    const line = f === 'csv' ? csvLine : tsvLine;
    await out.data(line(pairs.map(([k]) => k)) + line(pairs.map(([, v]) => (v === null || v === undefined ? '' : typeof v === 'object' ? safeJson(v) : v))));
    return out.flush();
  }
  const width = Math.max(...pairs.map(([k]) => k.length));
  const now = out.now();
  for (const [k, v] of pairs) {
    const text = v === null || v === undefined ? '' : typeof v === 'object' ? safeJson(v) : String(v);
    await out.data(`${out.color.bold(k.padEnd(width))}  ${humanTimes(sanitizeInline(text), now, out.streams.env.TZ)}\n`);
  }
  await out.flush();
}

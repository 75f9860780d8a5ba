import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { csvLine } from './csv.js';
import type { Output } from './output.js';
import { safeJson, sanitizeForTerminal, sanitizeInline } from './sanitize.js';
import { tsvLine } from './tsv.js';

export const LIST_FORMATS = ['table', 'tsv', 'csv', 'json', 'ndjson'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** A column of a list: its header and how to read it from a record. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

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

/**
 * Prints records in a list format. JSON and NDJSON print the records themselves
 * (the documented objects); the other formats print the columns.
 */
export async function renderList<T>(out: Output, format: ListFormat, columns: Column<T>[], rows: Iterable<T> | AsyncIterable<T>): Promise<number> {
  let count = 0;
  const tty = out.stdoutIsTTY;
  if (format === 'json') {
    await out.data('[');
    for await (const row of rows) await out.data((count++ ? ',\n' : '\n') + safeJson(row));
    await out.data(count ? '\n]\n' : ']\n');
  } else if (format === 'ndjson') {
    for await (const row of rows) {
      count++;
      await out.data(safeJson(row) + '\n');
    }
  } else if (format === 'csv' || format === 'tsv') {
    const line = format === 'csv' ? csvLine : tsvLine;
    const clean = (v: unknown) => (tty && typeof v === 'string' ? sanitizeForTerminal(v) : v);
    await out.data(line(columns.map((c) => c.header)));
    for await (const row of rows) {
      count++;
      await out.data(line(columns.map((c) => clean(c.value(row)))));
    }
  } else {
    const cells: string[][] = [];
    for await (const row of rows) {
      count++;
      cells.push(columns.map((c) => { const v = c.value(row); return v === null || v === undefined ? '' : sanitizeInline(String(v)); }));
    }
    if (count) await out.data(drawTable(out, columns.map((c) => c.header), cells) + '\n');
  }
  await out.flush();
  return count;
}

/** Column widths that fit the terminal: the widest columns give way first (water-filling). */
export function fitWidths(natural: number[], budget: number): number[] {
  const total = (cap: number) => natural.reduce((sum, w) => sum + Math.min(w, cap), 0);
  let cap = Math.max(0, ...natural);
  while (cap > 8 && total(cap) > budget) cap--;
  return natural.map((w) => Math.min(w, cap));
}

/** A table for people: no row separators, wrapped to the terminal's width, plain when colour is off. */
function drawTable(out: Output, headers: string[], cells: string[][]): string {
  const require = createRequire(import.meta.url);
  const Table = require('cli-table3') as typeof import('cli-table3');
  const natural = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const columns = (out.streams.stdout as { columns?: number }).columns ?? (out.stdoutIsTTY ? 80 : Infinity);
  const widths = fitWidths(natural, columns - (3 * headers.length + 1));
  const plain = out.color.level === 0;
  const table = new Table({
    head: headers,
    // Colours through cli-table3's own style, applied after layout so escape codes never count as width.
    style: plain ? { head: [], border: [] } : { head: ['bold'], border: ['grey'] },
    colWidths: widths.map((w) => w + 2),
    wordWrap: true,
    wrapOnWordBoundary: false,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  table.push(...cells);
  // Rows go without separators; the header keeps its rule, drawn from the top border.
  const lines = table.toString().split('\n');
  const headerHeight = Math.max(...headers.map((h, i) => Math.ceil(h.length / Math.max(1, widths[i]!))));
  lines.splice(1 + headerHeight, 0, lines[0]!.replace('┌', '├').replace(/┬/g, '┼').replace('┐', '┤'));
  return lines.join('\n');
}

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
  for (const [k, v] of pairs) {
    const text = v === null || v === undefined ? '' : typeof v === 'object' ? safeJson(v) : String(v);
    await out.data(`${out.color.bold(k.padEnd(width))}  ${sanitizeInline(text)}\n`);
  }
  await out.flush();
}

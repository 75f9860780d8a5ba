import type { Db } from '../db/connection.js';
import { ConflictError, InputError, type InputProblem } from '../errors.js';
import { readRecords, type Input } from '../io/input.js';
import { appendAuditEntry } from './audit/audit.repo.js';
import type { Stamp } from './audit/audit.service.js';

export type RowAction = 'ADD' | 'SKIP' | 'UPDATE' | 'RECORD';

/** What one row did (or, in a dry run, would do). */
export interface RowOutcome {
  line: number;
  action: RowAction;
  key: string;
  note?: string;
}

/** A row that could not be applied; `conflict` marks duplicates refused by --on-duplicate fail. */
export interface RowProblem extends InputProblem {
  conflict?: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  format?: string;
}

/** Hooks through which the command shows progress and problems; the service itself never prints. */
export interface ImportHooks {
  onProblem?(p: RowProblem): void;
  onOutcome?(o: RowOutcome): Promise<void> | void;
  onBytes?(n: number): void;
}

export interface ImportReport {
  source: string;
  format: string;
  dryRun: boolean;
  rows: number;
  counts: Record<RowAction, number>;
  invalid: number;
}

/** Everything that makes one kind of import: its columns, how a row is checked, and how it is applied. */
export interface ImportSpec<Row> {
  kind: string;
  columns: { known: readonly string[]; required: readonly string[] };
  parse(fields: Record<string, unknown>, line: number, source: string): Row | RowProblem[];
  /** Applies one checked row inside the import's transaction (synchronously, for speed). */
  apply(row: Row, line: number): RowOutcome | RowProblem;
}

/**
 * Streams an input through one transaction. Every bad row is reported through
 * onProblem as soon as it is found; at the end, any bad row (without --skip-invalid)
 * or a dry run rolls everything back, so nothing is half-written.
 */
export async function runImport<Row>(db: Db, stamp: Stamp, input: Input, spec: ImportSpec<Row>, opts: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const { format, records } = await readRecords(input, opts.format, spec.columns, hooks.onBytes);
  const counts: Record<RowAction, number> = { ADD: 0, UPDATE: 0, RECORD: 0, SKIP: 0 };
  let invalid = 0;
  let conflicts = 0;
  let rows = 0;
  const report = (p: RowProblem) => hooks.onProblem?.(p);
  const reject = (problems: RowProblem[]) => {
    invalid++;
    if (problems.every((p) => p.conflict)) conflicts++;
    problems.forEach(report);
  };
  db.sqlite.exec('begin immediate');
  try {
    for await (const rec of records) {
      rows++;
      if (rec.problem) {
        reject([rec.problem]);
        continue;
      }
      const row = spec.parse(rec.fields!, rec.line, input.name);
      if (Array.isArray(row)) {
        reject(row.length ? row : [{ source: input.name, line: rec.line, reason: 'invalid row' }]);
        continue;
      }
      const outcome = spec.apply(row, rec.line);
      if ('reason' in outcome) {
        reject([outcome]);
        continue;
      }
      counts[outcome.action]++;
      await hooks.onOutcome?.(outcome);
    }
    const result: ImportReport = { source: input.name, format, dryRun: Boolean(opts.dryRun), rows, counts, invalid };
    if (invalid && !opts.skipInvalid) {
      const what = `${invalid} ${invalid === 1 ? 'row' : 'rows'} of ${input.name} could not be imported; nothing was written`;
      const hint = 'fix them, or pass --skip-invalid to import the rest';
      throw conflicts === invalid ? new ConflictError(what, hint) : new InputError(what, [], hint);
    }
    if (opts.dryRun) {
      db.sqlite.exec('rollback');
      return result;
    }
    const summary = Object.entries(counts).filter(([, n]) => n).map(([a, n]) => `${a.toLowerCase()} ${n}`).join(', ');
    await appendAuditEntry(db.kysely, { ...stamp, summary: `${spec.kind} import from ${input.name} (${format}): ${rows} rows; ${summary || 'nothing to do'}${invalid ? `; ${invalid} invalid rows skipped` : ''}` });
    db.sqlite.exec('commit');
    return result;
  } catch (err) {
    if (db.sqlite.inTransaction) db.sqlite.exec('rollback');
    throw err;
  }
}

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

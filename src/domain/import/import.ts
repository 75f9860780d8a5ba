import type { Db } from '../../db/connection.js';
import { ConflictError, InputError } from '../../errors.js';
import type { Input } from '../../io/input/open.js';
import { IMPORT_ROWS, type ImportKind } from './import.rows.js';
import { readImport, type ReadRecord } from './import.read.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import type { MaybePromise } from '../../db/statements.js';
import { beginWrite } from '../../db/transaction.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import type { RowProblem } from '../schema.js';

export type RowAction = 'ADD' | 'SKIP' | 'UPDATE' | 'RECORD';

/** What one row did (or, in a dry run, would do). */
export interface RowOutcome {
  line: number;
  action: RowAction;
  key: string;
  note?: string;
}

export type { RowProblem } from '../schema.js';

export interface ImportOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  format?: string;
  /** Commit every `rows` rows or `ms` milliseconds (a pipe that may never end); otherwise one transaction. */
  batch?: { rows: number; ms: number };
}

/** Hooks through which the command shows progress and problems; the service itself never prints. */
export interface ImportHooks {
  onProblem?(p: RowProblem): void;
  onOutcome?(o: RowOutcome): Promise<void> | void;
  onBytes?(n: number): void;
  /** The bad row as it was read, for a rejects file. */
  onReject?(raw: string | undefined, line: number): void;
  /** Detail for --verbose: how the input is read. */
  onDetail?(message: string): void;
}

export interface ImportReport {
  source: string;
  format: string;
  dryRun: boolean;
  rows: number;
  counts: Record<RowAction, number>;
  invalid: number;
  /** Batches committed (pipes); 0 for one transaction. */
  batches: number;
}

/**
 * Everything that makes one kind of import: its kind, which names its columns and how a row is
 * checked (IMPORT_ROWS, which the reader thread reads them from too), and how a row is applied.
 */
export interface ImportSpec<Row> {
  kind: ImportKind;
  /** Prepares the import inside its transaction (`conn` is the transaction's connection). */
  prepare(conn: Kysely<Database>): Promise<RowApplier<Row>>;
  /**
   * SQLite: read the database file through a memory map (up to SQLite's 2 GB limit here), which
   * saves a copy a page where each row looks up a large database at random. Measured at 1M rows:
   * the activity import 18.5-19.4 s with it against 22.5-26.3 s without; the member import into
   * an empty database, which mostly writes, 52.2-56.8 s against 47.6-48.8 s, so it does not ask.
   * The cost: a file cut short by another process while mapped ends the import with SIGBUS
   * instead of an error (such a file is corrupt either way). Like the cache size, the setting
   * lasts as long as the command's connection.
   */
  mapped?: boolean;
}

/** How checked rows are applied, once prepared. */
export interface RowApplier<Row> {
  apply(row: Row, line: number): MaybePromise<RowOutcome | RowProblem>;
  /** Bulk paths (PostgreSQL): shown the next rows (a chunk of a file, or what a pipe has brought) before they are applied, to look them up in one query. */
  prefetch?(rows: Row[]): Promise<void>;
  /** Writes what apply held back (a bulk path's buffered rows, summed counts); runs before every commit. */
  flush?(): MaybePromise<void>;
}

/** Records read ahead on the import's own thread (the reader thread's batches are as many). */
const CHUNK = 1000;

/**
 * Streams an input through one transaction. Every bad row is reported through
 * onProblem as soon as it is found; at the end, any bad row (without --skip-invalid)
 * or a dry run rolls everything back, so nothing is half-written. With `batch`
 * (a pipe), rows are committed in batches as they arrive, each with its audit entry:
 * a crash loses at most the open batch, and a bad row stops the import after
 * committing the rows before it.
 */
export async function runImport<Row>(db: Db, stamp: Stamp, input: Input, spec: ImportSpec<Row>, opts: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const parse = IMPORT_ROWS[spec.kind].parse as (fields: Record<string, unknown>, line: number, source: string) => Row | RowProblem[];
  // A pipe's rows are taken as they come (the reader thread groups them as they arrive); a file's
  // a read-ahead chunk at a time, which a bulk path looks up together (prefetch).
  const { format, groups, close } = await readImport(input, opts.format, spec.kind, { raw: Boolean(hooks.onReject), group: opts.batch ? 1 : CHUNK, onBytes: hooks.onBytes, onDetail: hooks.onDetail });
  // A large page cache keeps the indexes a bulk import touches in memory (measured: 20% faster at
  // 1M people); only imports ask for it, so exports stay within their memory bound.
  if (db.dialect === 'sqlite') {
    db.sqlite.pragma('cache_size = -131072');
    if (spec.mapped) db.sqlite.pragma('mmap_size = 2147418112');
  }
  return db.kysely.connection().execute(async (conn) => {
    const counts = emptyCounts();
    let batchCounts = emptyCounts();
    let invalid = 0;
    let conflicts = 0;
    let rows = 0;
    let batches = 0;
    let pending = 0;
    let open = false;
    const batch = opts.dryRun ? undefined : opts.batch;
    const audit = (what: string) =>
      appendAuditEntry(conn, { ...stamp, summary: `${spec.kind} import from ${input.name} (${format})${what}${invalid ? `; ${invalid} invalid ${invalid === 1 ? 'row' : 'rows'}` : ''}` });
    const begin = async () => {
      await beginWrite(db, conn);
      open = true;
    };
    const end = async (how: 'commit' | 'rollback') => {
      open = false;
      await sql.raw(how).execute(conn);
    };
    /** Commits what a pipe has brought so far, with its audit entry, and opens the next batch. */
    const commitBatch = async () => {
      if (!pending) return;
      await applier.flush?.();
      await audit(`, batch ${++batches}: ${describe(batchCounts)}`);
      await end('commit');
      await begin();
      pending = 0;
      batchCounts = emptyCounts();
    };
    const reject = async (raw: string | undefined, line: number, problems: RowProblem[]) => {
      invalid++;
      if (problems.every((p) => p.conflict)) conflicts++;
      problems.forEach((p) => hooks.onProblem?.(p));
      hooks.onReject?.(raw, line);
      if (batch && !opts.skipInvalid) {
        // A pipe cannot be taken back: keep what came before the bad line, read nothing after it.
        await commitBatch();
        const before = counts.ADD + counts.UPDATE + counts.RECORD;
        throw new InputError(`${input.name}:${line}: bad row; the ${before} ${before === 1 ? 'row' : 'rows'} imported before it were kept, nothing after it was read`, [], 'fix the producer, or pass --skip-invalid');
      }
    };
    // A pipe's rows are committed at least every batch.ms: the timer commits while the import
    // waits for its next row, and otherwise asks for a commit before the next row is applied.
    let busy = false;
    let due = false;
    let committing: Promise<void> | undefined;
    let timerError: unknown;
    const timed = () => {
      committing = commitBatch()
        .catch((err) => {
          timerError = err;
        })
        .finally(() => {
          committing = undefined;
        });
    };
    const timer = batch
      ? setInterval(() => {
          if (timerError || committing) return;
          if (busy) due = true;
          else timed();
        }, batch.ms)
      : undefined;
    /** One record: checked (unless the reader thread or a read-ahead chunk did), then applied. */
    const handle = async (rec: ReadRecord<Row>) => {
      rows++;
      if (rec.problem) return reject(rec.raw, rec.line, [rec.problem]);
      const row = rec.parsed ?? parse(rec.fields!, rec.line, input.name);
      if (Array.isArray(row)) return reject(rec.raw, rec.line, row.length ? row : [{ source: input.name, line: rec.line, reason: 'invalid row' }]);
      let outcome = applier.apply(row, rec.line);
      if (outcome instanceof Promise) outcome = await outcome;
      if ('reason' in outcome) return reject(rec.raw, rec.line, [outcome]);
      counts[outcome.action]++;
      batchCounts[outcome.action]++;
      if (hooks.onOutcome) await hooks.onOutcome(outcome);
      if (batch && (++pending >= batch.rows || due)) {
        due = false;
        await commitBatch();
      }
    };
    /** A group of records: parsed and shown to a bulk path's prefetch, then handled in order. */
    const handleGroup = async (group: ReadRecord<Row>[]) => {
      if (applier.prefetch) {
        for (const rec of group) if (!rec.problem) rec.parsed ??= parse(rec.fields!, rec.line, input.name);
        await applier.prefetch(group.flatMap((rec) => (rec.parsed === undefined || Array.isArray(rec.parsed) ? [] : [rec.parsed])));
      }
      for (const rec of group) await handle(rec);
    };
    let applier: RowApplier<Row> = { apply: () => ({ source: input.name, reason: 'not prepared' }) };
    try {
      await begin();
      applier = await spec.prepare(conn);
      for await (const group of groups as AsyncIterable<ReadRecord<Row>[]>) {
        if (committing) await committing;
        // A timed commit that failed (the lock held past the busy timeout) is raised here, not lost in a timer.
        if (timerError) throw timerError;
        busy = true;
        await handleGroup(group);
        busy = false;
      }
      // No timed commit may start while the last rows are flushed, audited and committed.
      if (timer) clearInterval(timer);
      if (committing) await committing;
      await applier.flush?.();
      if (timerError) throw timerError;
      const result: ImportReport = { source: input.name, format, dryRun: Boolean(opts.dryRun), rows, counts, invalid, batches };
      if (invalid && !opts.skipInvalid) {
        const what = `${invalid} ${invalid === 1 ? 'row' : 'rows'} of ${input.name} could not be imported; nothing was written`;
        const hint = 'fix them, or pass --skip-invalid to import the rest';
        throw conflicts === invalid ? new ConflictError(what, hint) : new InputError(what, [], hint);
      }
      if (opts.dryRun) {
        await end('rollback');
        return result;
      }
      if (batch) {
        if (pending || !batches) await audit(`, batch ${++batches}: ${describe(batchCounts)}`);
      } else {
        await audit(`: ${rows} rows; ${describe(counts)}`);
      }
      await end('commit');
      return { ...result, batches };
    } catch (err) {
      if (timer) clearInterval(timer);
      if (committing) await committing;
      if (open || db.dialect === 'postgres') await sql`rollback`.execute(conn).catch(() => {});
      throw err;
    } finally {
      if (timer) clearInterval(timer);
    }
  }).finally(close);
}

function emptyCounts(): Record<RowAction, number> {
  return { ADD: 0, UPDATE: 0, RECORD: 0, SKIP: 0 };
}

function describe(counts: Record<RowAction, number>): string {
  return Object.entries(counts).filter(([, n]) => n).map(([a, n]) => `${a.toLowerCase()} ${n}`).join(', ') || 'nothing to do';
}

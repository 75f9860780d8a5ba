import { setPageCache, type Db } from '../../db/connection.js';
import { ConflictError, InputError } from '../../errors.js';
import type { Input } from '../../io/input/open.js';
import { IMPORT_ROWS, type ImportKind } from './import.rows.js';
import { grouped, readImport, type ReadRecord } from './import.read.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { andThen, type MaybePromise } from '../../db/statements.js';
import { analyzeTables } from '../../db/bulk.js';
import { beginWrite, commit, rollback, withConnection } from '../../db/transaction.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import type { RowProblem } from '../shared/schema.js';

export type RowAction = 'ADD' | 'SKIP' | 'UPDATE' | 'RECORD';

/** What one row did (or, in a dry run, would do). */
export interface RowOutcome {
  line: number;
  action: RowAction;
  key: string;
  note?: string;
}

export type { RowProblem } from '../shared/schema.js';

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
  /** Detail for a verbose run: how the input is read. */
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
  /** PostgreSQL: the tables the import fills, analysed before it commits once it has added ANALYZE_ROWS rows (analyzeTables). */
  analyze?: readonly (keyof Database)[];
}

/**
 * Rows added from which an import analyses its tables on PostgreSQL. Fewer leave the statistics
 * near enough to the tables, until autovacuum's analyze. ANALYZE samples at most 30,000 rows a
 * table whatever its size: all the tables of a 500k-person database took 0.65 s.
 */
const ANALYZE_ROWS = 10_000;

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
 * Rows a bulk path (PostgreSQL) looks up at a time: each lookup is a round trip, and the server
 * answers 5000 keys in little more time than 1000. Measured, member import of 100k rows, three
 * runs each in turns: 8.5-9.7 s a thousand at a time, 7.0-8.4 s five thousand (the activity
 * import, whose lookups are fewer, 4.2-5.2 s either way).
 */
const PREFETCH_ROWS = 5000;

/**
 * Streams an input through one transaction. Every bad row is reported through
 * onProblem as soon as it is found; at the end, any bad row (unless skipInvalid)
 * or a dry run rolls everything back, so nothing is half-written. With `batch`
 * (a pipe), rows are committed in batches as they arrive, each with its audit entry:
 * a crash loses at most the open batch, and a bad row stops the import after
 * committing the rows before it.
 */
export async function runImport<Row>(db: Db, stamp: Stamp, input: Input, spec: ImportSpec<Row>, opts: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  // A pipe's rows are taken as they come (the reader thread groups them as they arrive); a file's
  // a read-ahead chunk at a time, which a bulk path looks up together (prefetch).
  const { format, groups, close } = await readImport(input, opts.format, spec.kind, { raw: Boolean(hooks.onReject), group: opts.batch ? 1 : CHUNK, onBytes: hooks.onBytes, onDetail: hooks.onDetail });
  // A large page cache keeps the indexes a bulk import touches in memory (measured: 20% faster at
  // 1M people); only imports ask for it, so exports stay within their memory bound.
  setPageCache(db, -131072, spec.mapped ? 2147418112 : undefined);
  return withConnection(db, (conn) => new ImportRun<Row>(db, conn, stamp, input, spec, opts, hooks, format).run(groups as AsyncIterable<ReadRecord<Row>[]>)).finally(close);
}

/** One import on its connection: what it has counted, its open transaction, and a pipe's batches. */
class ImportRun<Row> {
  private readonly parse: (fields: Record<string, unknown>, line: number, source: string) => Row | RowProblem[];
  private readonly counts = emptyCounts();
  private batchCounts = emptyCounts();
  private invalid = 0;
  private conflicts = 0;
  private rows = 0;
  private batches = 0;
  /** Rows applied since the last commit of a pipe's batch. */
  private pending = 0;
  private open = false;
  /** A pipe's batch rule (none for a file, or a dry run: one transaction). */
  private readonly batch: ImportOptions['batch'];
  private readonly timer: BatchTimer | undefined;
  private applier: RowApplier<Row>;

  constructor(
    private readonly db: Db,
    private readonly conn: Kysely<Database>,
    private readonly stamp: Stamp,
    private readonly input: Input,
    private readonly spec: ImportSpec<Row>,
    private readonly opts: ImportOptions,
    private readonly hooks: ImportHooks,
    private readonly format: string,
  ) {
    this.parse = IMPORT_ROWS[spec.kind].parse as (fields: Record<string, unknown>, line: number, source: string) => Row | RowProblem[];
    this.applier = { apply: () => ({ source: input.name, reason: 'not prepared' }) };
    this.batch = opts.dryRun ? undefined : opts.batch;
    this.timer = this.batch ? new BatchTimer(this.batch.ms, () => this.commitBatch()) : undefined;
  }

  /** Prepares, applies every group of records, and ends: committed, rolled back (a dry run), or refused with nothing half-written. */
  async run(groups: AsyncIterable<ReadRecord<Row>[]>): Promise<ImportReport> {
    try {
      await this.begin();
      this.applier = await this.spec.prepare(this.conn);
      for await (const group of this.lookAhead(groups)) {
        // A timed commit that failed (the lock held past the busy timeout) is raised here, not lost in a timer.
        await this.timer?.settled();
        this.timer?.busy(true);
        await this.handleGroup(group);
        this.timer?.busy(false);
      }
      // No timed commit may start while the last rows are flushed, audited and committed.
      await this.timer?.stop();
      await this.applier.flush?.();
      await this.timer?.settled();
      return await this.finish();
    } catch (err) {
      await this.timer?.stop().catch(() => {});
      if (this.open || this.db.dialect === 'postgres') await rollback(this.conn).catch(() => {});
      throw err;
    } finally {
      this.timer?.clear();
    }
  }

  /** A file's groups joined PREFETCH_ROWS at a time for a bulk path's prefetch (a pipe's are taken as they come). */
  private lookAhead(groups: AsyncIterable<ReadRecord<Row>[]>): AsyncIterable<ReadRecord<Row>[]> {
    if (!this.applier.prefetch || this.batch) return groups;
    return grouped((async function* () {
      for await (const group of groups) yield* group;
    })(), PREFETCH_ROWS);
  }

  /** The end of a whole input: refused if a row was bad, rolled back if a dry run, else audited and committed. */
  private async finish(): Promise<ImportReport> {
    const { input, opts, counts, invalid, rows } = this;
    const result: ImportReport = { source: input.name, format: this.format, dryRun: Boolean(opts.dryRun), rows, counts, invalid, batches: this.batches };
    if (invalid && !opts.skipInvalid) {
      const what = `${invalid} ${invalid === 1 ? 'row' : 'rows'} of ${input.name} could not be imported; nothing was written`;
      const hint = { key: 'skip-invalid-rows' } as const;
      throw this.conflicts === invalid ? new ConflictError(what, hint) : new InputError(what, [], hint);
    }
    if (opts.dryRun) {
      await this.end('rollback');
      return result;
    }
    if (this.batch) {
      if (this.pending || !this.batches) await this.audit(`, batch ${++this.batches}: ${describe(this.batchCounts)}`);
    } else {
      await this.audit(`: ${rows} rows; ${describe(counts)}`);
    }
    if (this.spec.analyze && counts.ADD >= ANALYZE_ROWS) await analyzeTables(this.db, this.conn, this.spec.analyze);
    await this.end('commit');
    return { ...result, batches: this.batches };
  }

  private audit(what: string) {
    const { input, invalid } = this;
    return appendAuditEntry(this.conn, { ...this.stamp, summary: `${this.spec.kind} import from ${input.name} (${this.format})${what}${invalid ? `; ${invalid} invalid ${invalid === 1 ? 'row' : 'rows'}` : ''}` });
  }

  private async begin() {
    await beginWrite(this.db, this.conn);
    this.open = true;
  }

  private async end(how: 'commit' | 'rollback') {
    this.open = false;
    await (how === 'commit' ? commit(this.conn) : rollback(this.conn));
  }

  /** Commits what a pipe has brought so far, with its audit entry, and opens the next batch. */
  private async commitBatch() {
    if (!this.pending) return;
    await this.applier.flush?.();
    await this.audit(`, batch ${++this.batches}: ${describe(this.batchCounts)}`);
    await this.end('commit');
    await this.begin();
    this.pending = 0;
    this.batchCounts = emptyCounts();
  }

  private async reject(raw: string | undefined, line: number, problems: RowProblem[]) {
    this.invalid++;
    if (problems.every((p) => p.conflict)) this.conflicts++;
    problems.forEach((p) => this.hooks.onProblem?.(p));
    this.hooks.onReject?.(raw, line);
    if (this.batch && !this.opts.skipInvalid) {
      // A pipe cannot be taken back: keep what came before the bad line, read nothing after it.
      await this.commitBatch();
      const before = this.counts.ADD + this.counts.UPDATE + this.counts.RECORD;
      throw new InputError(`${this.input.name}:${line}: bad row; the ${before} ${before === 1 ? 'row' : 'rows'} imported before it were kept, nothing after it was read`, [], { key: 'pipe-bad-row' });
    }
  }

  /**
   * One record: checked (unless the reader thread or a read-ahead chunk did), then applied; with
   * no promise where nothing waits (SQLite, and no hook that writes).
   */
  private handle(rec: ReadRecord<Row>): MaybePromise<void> {
    this.rows++;
    if (rec.problem) return this.reject(rec.raw, rec.line, [rec.problem]);
    const row = rec.parsed ?? this.parse(rec.fields!, rec.line, this.input.name);
    if (Array.isArray(row)) return this.reject(rec.raw, rec.line, row.length ? row : [{ source: this.input.name, line: rec.line, reason: 'invalid row' }]);
    return andThen(this.applier.apply(row, rec.line), (outcome) => this.count(rec, outcome));
  }

  /** What one row did: a bad row rejected, else counted, shown, and a pipe's batch committed when due. */
  private count(rec: ReadRecord<Row>, outcome: RowOutcome | RowProblem): MaybePromise<void> {
    if ('reason' in outcome) return this.reject(rec.raw, rec.line, [outcome]);
    this.counts[outcome.action]++;
    this.batchCounts[outcome.action]++;
    const shown = this.hooks.onOutcome?.(outcome);
    if (!this.batch) return shown;
    return andThen(shown, () => {
      this.pending++;
      // A commit falls due by rows or by time; either way the one that comes takes both.
      const due = this.timer!.takeDue();
      if (this.pending >= this.batch!.rows || due) return this.commitBatch();
    });
  }

  /** A group of records: parsed and shown to a bulk path's prefetch, then handled in order. */
  private async handleGroup(group: ReadRecord<Row>[]) {
    if (this.applier.prefetch) {
      for (const rec of group) if (!rec.problem) rec.parsed ??= this.parse(rec.fields!, rec.line, this.input.name);
      await this.applier.prefetch(group.flatMap((rec) => (rec.parsed === undefined || Array.isArray(rec.parsed) ? [] : [rec.parsed])));
    }
    for (const rec of group) {
      const handled = this.handle(rec);
      if (handled) await handled;
    }
  }
}

/**
 * A pipe's rows are committed at least every `ms`: the timer commits while the import waits for
 * its next row, and otherwise marks a commit due, taken before the next row is applied. A timed
 * commit that fails is kept and raised by `settled`, not lost in a timer.
 */
class BatchTimer {
  private isBusy = false;
  private due = false;
  private committing: Promise<void> | undefined;
  private error: unknown;
  private readonly interval: ReturnType<typeof setInterval>;

  constructor(ms: number, commit: () => Promise<void>) {
    this.interval = setInterval(() => {
      if (this.error || this.committing) return;
      if (this.isBusy) this.due = true;
      else
        this.committing = commit()
          .catch((err) => {
            this.error = err;
          })
          .finally(() => {
            this.committing = undefined;
          });
    }, ms);
  }

  /** Whether rows are being applied (a commit then waits for the next row). */
  busy(yes: boolean) {
    this.isBusy = yes;
  }

  /** Whether a commit fell due while rows were applied; asking takes it. */
  takeDue(): boolean {
    const due = this.due;
    this.due = false;
    return due;
  }

  /** Waits for a timed commit under way; raises one that failed. */
  async settled() {
    if (this.committing) await this.committing;
    if (this.error) throw this.error;
  }

  /** Starts no more commits and waits for one under way (its failure is raised by settled). */
  async stop() {
    this.clear();
    if (this.committing) await this.committing;
  }

  clear() {
    clearInterval(this.interval);
  }
}

function emptyCounts(): Record<RowAction, number> {
  return { ADD: 0, UPDATE: 0, RECORD: 0, SKIP: 0 };
}

function describe(counts: Record<RowAction, number>): string {
  return Object.entries(counts).filter(([, n]) => n).map(([a, n]) => `${a.toLowerCase()} ${n}`).join(', ') || 'nothing to do';
}

import { sql, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './schema/index.js';
import type { MaybePromise } from './statements.js';
import type { Db } from './connection.js';

/** Rows a SQLite writer holds before it writes them. */
const ROWS = 1000;
/**
 * Rows a PostgreSQL writer holds before it sends them, one COPY a table. Each COPY costs the server
 * a statement's overhead: measured, 500k events into a 500k-person database, the thousand-row
 * COPYs took 8.75 s of the server's time, five-thousand-row ones 7.64 s (the import 16.4-16.7 s
 * against 15.1-15.9 s).
 */
const COPY_ROWS = 5000;

/** A column of a bulk insert: its name and PostgreSQL type. */
export type BulkColumn = readonly [name: string, type: 'bigint' | 'integer' | 'text'];

/**
 * Where a bulk import buffers the rows it adds, on either engine: ids are handed out up front
 * (so a child can name its parent before either is written), and the rows are written a table
 * at a time, parents first, so foreign keys hold at every insert. `finish` writes what is left;
 * call it before commit.
 */
export interface RowWriter {
  nextId(table: string): MaybePromise<number>;
  add(table: string, columns: readonly BulkColumn[], values: unknown[]): MaybePromise<void>;
  /** Writes every buffered row, parents first; call it before reading what was added. */
  flush(): MaybePromise<void>;
  finish(): MaybePromise<void>;
}

/** The rows a writer holds, per table, in the order the tables were first used (parents first). */
abstract class RowBuffer {
  constructor(private readonly limit: number) {}
  private readonly tables = new Map<string, { columns: readonly BulkColumn[]; rows: unknown[][] }>();
  private buffered = 0;

  /** Buffers one row; writes everything buffered once `limit` rows are held. */
  add(table: string, columns: readonly BulkColumn[], values: unknown[]): MaybePromise<void> {
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = { columns, rows: [] }));
    t.rows.push(values);
    return ++this.buffered >= this.limit ? this.flush() : undefined;
  }

  /** Writes every buffered row, parents first. */
  abstract flush(): MaybePromise<void>;

  /** Takes the buffered rows, table by table, parents first: rows added while they are written go to the next flush, never twice. */
  protected take(): Array<[table: string, columns: readonly BulkColumn[], rows: unknown[][]]> {
    this.buffered = 0;
    const taken: Array<[string, readonly BulkColumn[], unknown[][]]> = [];
    for (const [table, t] of this.tables) {
      if (t.rows.length) taken.push([table, t.columns, t.rows]);
      t.rows = [];
    }
    return taken;
  }
}

/** A value in COPY's text format: NULL as \\N; backslash, tab, newline and carriage return escaped. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const text = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

/** Ids taken from a sequence at a time (PostgreSQL), in one call. */
const ID_BLOCK = 10_000;

/**
 * PostgreSQL's bulk writes: rows buffered per table and sent by `COPY … FROM STDIN`, a table at
 * a time (parents first, so foreign keys hold at every row), straight into the table: no
 * statement a row, no parameters for the server to parse, and no second copy of each row in a
 * staging table. (Measured, 100k-row member import: multi-row `insert … select * from unnest(…)`
 * a thousand rows at a time spent 7.9 s of the server's time on the inserts, against the floor's
 * 5.2 s for the same rows by `insert … select`.) Ids are taken up front, a block of ID_BLOCK at a
 * time by moving the table's sequence (the write lock is held: no other writer takes one
 * meanwhile), so a child can name its parent before either is written.
 */
export class BulkWriter extends RowBuffer implements RowWriter {
  private readonly ids = new Map<string, { next: number; end: number }>();

  constructor(
    private readonly conn: Kysely<Database>,
    private readonly copyFrom: NonNullable<Db['copyFrom']>,
  ) {
    super(COPY_ROWS);
  }

  /** The next id of `table`'s identity column. */
  async nextId(table: string): Promise<number> {
    let block = this.ids.get(table);
    if (!block || block.next >= block.end) {
      const { rows } = await sql<{ last: number }>`select setval(pg_get_serial_sequence(${table}, 'id'), nextval(pg_get_serial_sequence(${table}, 'id')) + ${ID_BLOCK - 1}) as last`.execute(this.conn);
      const last = Number(rows[0]!.last);
      block = { next: last - ID_BLOCK + 1, end: last + 1 };
      this.ids.set(table, block);
    }
    return block.next++;
  }

  /** Writes every buffered row, parents first; call it before reading what was added. */
  async flush(): Promise<void> {
    for (const [table, columns, rows] of this.take()) {
      const lines = rows.map((r) => r.map(copyValue).join('\t') + '\n');
      await this.copyFrom(this.conn, table, columns.map(([name]) => name), lines);
    }
  }

  /**
   * Writes every buffered row and gives back the ids taken but not used; call it before commit.
   */
  async finish(): Promise<void> {
    await this.flush();
    // The write lock is held, so no other writer took any since.
    for (const [table, block] of this.ids) {
      if (block.next >= block.end) continue;
      this.ids.delete(table);
      await resetIdSequence(this.conn, table);
    }
  }
}

/** Rows per statement of SqliteBulkWriter's multi-row inserts. */
const ROWS_PER_STATEMENT = 100;

/**
 * SQLite's RowWriter: rows buffered per table and written a table at a time, a hundred rows a
 * statement. Inserting each row as it comes, into table after table, costs more: each statement
 * opens the table, its indexes and its foreign keys' parents afresh, where a run of inserts
 * into one table finds them still in place. Measured on the rows a 1M-person member import
 * adds besides the people (1.2M disclosures, 600k notices, 1.4M consents): their inserts took
 * 29.4 s this way against 35.0 s a row at a time. Ids come from the table's own sequence (the
 * largest id it ever gave, AUTOINCREMENT), read once: the write transaction is held, so no other
 * writer takes one meanwhile, and the inserts move the sequence past the ids used.
 */
export class SqliteBulkWriter extends RowBuffer implements RowWriter {
  private readonly ids = new Map<string, number>();
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    super(ROWS);
  }

  nextId(table: string): number {
    const next = this.ids.get(table) ?? firstFreeSqliteId(this.sqlite, table);
    this.ids.set(table, next + 1);
    return next;
  }

  /** Writes every buffered row; call it before commit. The next transaction reads the sequences afresh. */
  finish(): void {
    this.flush();
    this.ids.clear();
  }

  flush(): void {
    for (const [table, columns, rows] of this.take()) {
      let i = 0;
      for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
        const params: unknown[] = [];
        for (let j = i; j < i + ROWS_PER_STATEMENT; j++) params.push(...rows[j]!);
        this.statement(table, columns, ROWS_PER_STATEMENT).run(params);
      }
      for (; i < rows.length; i++) this.statement(table, columns, 1).run(rows[i]);
    }
  }

  /** `insert into table (columns) values (…), (…)`: `n` rows, prepared once. */
  private statement(table: string, columns: readonly BulkColumn[], n: number): BetterSqlite3.Statement {
    const key = `${table} ${n}`;
    let st = this.statements.get(key);
    if (!st) {
      const row = `(${columns.map(() => '?').join(', ')})`;
      st = this.sqlite.prepare(`insert into "${table}" (${columns.map(([name]) => `"${name}"`).join(', ')}) values ${Array(n).fill(row).join(', ')}`);
      this.statements.set(key, st);
    }
    return st;
  }
}

/** SQLite: the first id `table`'s AUTOINCREMENT has never given (past both its sequence and its rows). */
function firstFreeSqliteId(sqlite: BetterSqlite3.Database, table: string): number {
  return sqlite.prepare(`select max(coalesce((select seq from sqlite_sequence where name = ?), 0), coalesce((select max(id) from "${table}"), 0)) + 1`).pluck().get(table) as number;
}

/**
 * `n` ids of `table`'s identity column for rows about to be written with them, inside the write
 * transaction (so no other writer takes them meanwhile). On PostgreSQL they are taken from the
 * table's sequence; on SQLite they are the next free ones, held only once the rows are inserted
 * (the inserts move the sequence past them), so write the rows before asking again.
 */
export async function reserveIds(db: Db, conn: Kysely<Database>, table: string, n: number): Promise<number[]> {
  if (db.dialect === 'sqlite') {
    const first = firstFreeSqliteId(db.sqlite, table);
    return Array.from({ length: n }, (_, i) => first + i);
  }
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, cast(${n} as integer))`.execute(conn);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** PostgreSQL: sets a table's id sequence to give the id after its largest next (rows written with ids of their own, or ids taken and not used, leave it elsewhere). */
export async function resetIdSequence(conn: Kysely<Database>, table: string): Promise<void> {
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select coalesce(max(id), 0) + 1 from ${sql.table(table)}), false)`.execute(conn);
}

/**
 * PostgreSQL: brings the planner's statistics of tables a bulk write has just filled up to date,
 * in the writer's transaction (they commit, or roll back, with its rows). Until autovacuum's own
 * analyze comes, up to a minute later, the planner takes the new rows for a handful: measured,
 * 500k people imported into an empty database, the first `disclosures check` after took 25.3 s
 * and `notice pending` 47.2 s, against 3.1 s and 6.1 s after `analyze` (0.65 s). Nothing on
 * SQLite: consort's files have no statistics table (`sqlite_stat1`) for its planner to go by.
 */
export async function analyzeTables(db: Db, conn: Kysely<Database>, tables: readonly (keyof Database)[]): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(conn);
}

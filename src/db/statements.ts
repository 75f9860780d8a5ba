import type { CompiledQuery, Kysely } from 'kysely';
import type { Db } from './connection.js';
import type { Database } from './schema/index.js';

/** A value now (SQLite) or later (PostgreSQL). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `f` of a value now, or of a promised one when it comes. A bulk path's row goes through SQLite
 * with no promise and no microtask: an `await` of a plain value still costs a turn of the queue.
 */
export function andThen<T, R>(value: MaybePromise<T>, f: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

type Param = string | number | null;

/**
 * A prepared statement for the bulk paths (imports), written once in SQLite's SQL with `?`
 * placeholders: on SQLite a better-sqlite3 statement, answered synchronously (Kysely's
 * per-query compile would cost more than the insert, STYLE rule 10); on PostgreSQL the
 * same text with numbered parameters, run on the transaction's connection.
 */
export interface Statement<Row> {
  get(...params: Param[]): MaybePromise<Row | undefined>;
  all(...params: Param[]): MaybePromise<Row[]>;
  /** Runs an insert or update; `id` is the new row's id (inserts into tables with an id). */
  run(...params: Param[]): MaybePromise<{ id: number; changes: number }>;
}

/**
 * SQLite's `x is ?` (null-safe equality) becomes `x is not distinct from $n`; an insert into
 * a table with an id returns it, as better-sqlite3's lastInsertRowid does.
 */
export function toPostgres(text: string): string {
  let n = 0;
  return text.replace(/\bis \?/g, 'is not distinct from ?').replace(/\?/g, () => `$${++n}`);
}

/** Prepares `text` on the database's engine; on PostgreSQL it runs on `conn` (a transaction's connection), else on the pool. */
export function prepare<Row = unknown>(db: Db, conn: Kysely<Database> | undefined, text: string, options: { returnsId?: boolean } = {}): Statement<Row> {
  if (db.dialect === 'sqlite') {
    const st = db.sqlite.prepare(text);
    const reader = st.reader;
    return {
      get: (...params) => (reader ? (st.get(...params) as Row | undefined) : undefined),
      all: (...params) => st.all(...params) as Row[],
      run: (...params) => {
        const r = st.run(...params);
        return { id: Number(r.lastInsertRowid), changes: r.changes };
      },
    };
  }
  const pgText = toPostgres(text) + (options.returnsId ? ' returning id' : '');
  const on = conn ?? db.kysely;
  // Kysely is loaded here, not at the top: a SQLite read such as member show never needs it.
  const query = async <R>(params: Param[]) => {
    const { CompiledQuery } = await import('kysely');
    return on.executeQuery<R>(CompiledQuery.raw(pgText, params));
  };
  return {
    get: async (...params) => (await query<Row>(params)).rows[0],
    all: async (...params) => (await query<Row>(params)).rows,
    run: async (...params) => {
      const r = await query<{ id: number }>(params);
      return { id: Number(r.rows[0]?.id ?? 0), changes: Number(r.numAffectedRows ?? 0) };
    },
  };
}

/** A query's rows through a PostgreSQL cursor, `size` at a time (one statement, one snapshot, constant memory). */
export async function* cursorPages<Row>(on: Kysely<Database>, query: CompiledQuery, size = 1000): AsyncGenerator<Row[]> {
  for await (const chunk of on.getExecutor().stream<Row>(query, size)) yield chunk.rows;
}

/** Rows of one raw query through a PostgreSQL cursor, 1000 at a time, on the pool or on one connection. */
export async function* streamRows<Row>(on: Db | Kysely<Database>, text: string): AsyncIterable<Row> {
  const { CompiledQuery } = await import('kysely');
  for await (const page of cursorPages<Row>('kysely' in on ? on.kysely : on, CompiledQuery.raw(text))) yield* page;
}

/**
 * A query's rows a page at a time, streamed, so memory holds one page however many rows match:
 * on SQLite through the raw iterator (one statement, one snapshot), read synchronously a page at
 * a time, where Kysely's stream would cost a promise a row; on PostgreSQL through a cursor (one
 * statement, one snapshot). While a SQLite query's pages are read, nothing else may run on the
 * connection (better-sqlite3 refuses it): read them to the end, or stop (the iterator closes).
 */
export async function* queryPages<Row>(db: Db, query: CompiledQuery, size = 1000, o: { pluck?: boolean } = {}): AsyncGenerator<Row[]> {
  if (db.dialect === 'postgres') {
    yield* cursorPages<Row>(db.kysely, query, size);
    return;
  }
  let page: Row[] = [];
  const st = db.sqlite.prepare(query.sql);
  // Plucked (SQLite only), each row is its one column's value.
  if (o.pluck) st.pluck();
  for (const row of st.iterate(query.parameters) as IterableIterator<Row>) {
    page.push(row);
    if (page.length === size) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}

/**
 * Calls fn on each row, awaiting only what fn returns. SQLite's raw iterator is synchronous: walking
 * it with for-await would cost a promise a row (at a million rows, a fifth of an export's time).
 */
export async function eachRow<Row>(rows: Iterable<Row> | AsyncIterable<Row>, fn: (row: Row) => Promise<void> | void): Promise<void> {
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      const pending = fn(row);
      if (pending) await pending;
    }
  } else {
    for await (const row of rows) await fn(row);
  }
}

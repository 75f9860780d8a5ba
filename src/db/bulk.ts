import { sql, type Kysely } from 'kysely';
import type { Database } from './schema/index.js';

/** Rows per multi-row insert, and ids taken from a sequence at a time. */
const ROWS = 1000;

/** A column of a bulk insert: its name and PostgreSQL type. */
export type BulkColumn = readonly [name: string, type: 'bigint' | 'integer' | 'text'];

/**
 * Multi-row inserts for PostgreSQL's bulk imports, where one round trip a row would cost
 * more than the insert: rows are buffered per table and written a thousand at a time, as
 * one array a column (`insert … select * from unnest(…)`: a handful of parameters, not
 * thousands, for the server to parse). Ids
 * are taken from the table's sequence up front, so a child can name its parent before
 * either is written. Tables are written in the order they were first used (parents first),
 * all together, so foreign keys hold at every insert.
 */
export class BulkWriter {
  private readonly tables = new Map<string, { columns: readonly BulkColumn[]; rows: unknown[][] }>();
  private readonly ids = new Map<string, number[]>();
  private buffered = 0;

  constructor(private readonly conn: Kysely<Database>) {}

  /** The next id of `table`'s identity column. */
  async nextId(table: string): Promise<number> {
    let pool = this.ids.get(table);
    if (!pool?.length) {
      const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${ROWS})`.execute(this.conn);
      pool = rows.map((r) => Number(r.id)).reverse();
      this.ids.set(table, pool);
    }
    return pool.pop()!;
  }

  /** Buffers one row; writes everything buffered once a table holds a thousand rows. */
  async add(table: string, columns: readonly BulkColumn[], values: unknown[]): Promise<void> {
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = { columns, rows: [] }));
    t.rows.push(values);
    if (++this.buffered >= ROWS) await this.flush();
  }

  /** Writes every buffered row, parents first; call it before reading what was added. */
  async flush(): Promise<void> {
    this.buffered = 0;
    for (const [table, t] of this.tables) {
      // Taken before the await: rows added meanwhile go to the next flush, never twice.
      const rows = t.rows;
      if (!rows.length) continue;
      t.rows = [];
      const arrays = t.columns.map(([, type], i) => sql`${rows.map((r) => r[i])}::${sql.raw(type)}[]`);
      await sql`insert into ${sql.table(table)} (${sql.join(t.columns.map(([name]) => sql.id(name)))}) select * from unnest(${sql.join(arrays)})`.execute(this.conn);
    }
  }

  /**
   * Writes every buffered row and gives back the ids taken but not used; call it before commit.
   * (Only then: giving them back at every flush cost a thousand-id fetch and a setval a table
   * each time the buffer filled, some four thousand times in a 1M-person import.)
   */
  async finish(): Promise<void> {
    await this.flush();
    // The write lock is held, so no other writer took any since.
    for (const [table, pool] of this.ids) {
      if (!pool.length) continue;
      this.ids.set(table, []);
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select coalesce(max(id), 0) + 1 from ${sql.table(table)}), false)`.execute(this.conn);
    }
  }
}

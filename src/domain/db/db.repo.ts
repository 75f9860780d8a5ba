import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { streamRows } from '../../db/statements.js';

/** How many (document, member) pairs have a participation count (P8's active participants are read from it) other than the activities recorded for them, either way round. */
export async function countParticipationDrift(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from (
      select document_id, person_id, count(*) as n from activity where document_id is not null group by document_id, person_id
    ) a full join participation p on p.document_id = a.document_id and p.person_id = a.person_id
    where coalesce(a.n, 0) <> coalesce(p.activities, 0)`.execute(db);
  return Number(rows[0]!.n);
}

/** The rows in one table, counted on the connection given (in a copy: its source's snapshot, or its target's transaction). */
export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** People by status: how many have each status, by status. */
export async function countPeopleByStatus(db: Kysely<Database>): Promise<Array<{ status: string; n: number }>> {
  const rows = await db.selectFrom('person').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').orderBy('status').execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/** The names of the migrations applied, in order. */
export async function appliedMigrationNames(db: Kysely<Database>): Promise<string[]> {
  return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
}

/** PostgreSQL: the database's size in bytes. */
export async function postgresDatabaseSize(db: Kysely<Database>): Promise<number> {
  return Number((await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(db)).rows[0]!.n);
}

/** Rows per multi-row insert: well inside both engines' limits on bound parameters. */
const BATCH = 500;

/**
 * Copies one table's rows, in `order`, from the source's snapshot (`src`, the connection that
 * holds it) into the target's transaction (`conn`), 500 rows an insert; returns how many.
 */
export async function copyTableRows(source: Db, src: Kysely<Database>, conn: Kysely<Database>, table: string, order: string): Promise<number> {
  let batch: Array<Record<string, unknown>> = [];
  let n = 0;
  const flush = async () => {
    if (batch.length) await conn.insertInto(table as never).values(batch as never).execute();
    n += batch.length;
    batch = [];
  };
  for await (const row of readTable(source, src, table, order)) {
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return n;
}

/** One table's rows in order, streamed from the source's snapshot: SQLite's iterator, or a PostgreSQL cursor. */
async function* readTable(db: Db, src: Kysely<Database>, table: string, order: string): AsyncIterable<Record<string, unknown>> {
  const text = `select * from ${table} order by ${order}`;
  if (db.dialect === 'sqlite') {
    yield* db.sqlite.prepare(text).iterate() as Iterable<Record<string, unknown>>;
    return;
  }
  yield* streamRows<Record<string, unknown>>(src, text);
}

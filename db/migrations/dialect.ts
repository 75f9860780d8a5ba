import { SqliteAdapter, sql, type Kysely } from 'kysely';

/** True when a migration runs on SQLite (triggers and identity columns are written per dialect). */
export async function isSqlite(db: Kysely<any>): Promise<boolean> {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * On PostgreSQL, the one trigger function behind every guard: it refuses the change with the
 * message it is given, as SQLite's raise(abort, …) does.
 */
export async function createRefuseFunction(db: Kysely<any>): Promise<void> {
  await sql`create or replace function consort_refuse() returns trigger language plpgsql as $$
    begin raise exception '%', tg_argv[0] using errcode = 'restrict_violation'; end $$`.execute(db);
}

/**
 * A PostgreSQL trigger that refuses `events` on `table` when `when` holds, with `message`: a row
 * trigger, or for TRUNCATE (which SQLite does not have, and which skips row triggers) a statement one.
 */
export async function refuseTrigger(db: Kysely<any>, name: string, events: string, table: string, when: string | null, message: string): Promise<void> {
  const each = events === 'truncate' ? 'statement' : 'row';
  await sql
    .raw(`create trigger ${name} before ${events} on ${table} for each ${each} ${when ? `when (${when}) ` : ''}execute function consort_refuse('${message.replace(/'/g, "''")}')`)
    .execute(db);
}

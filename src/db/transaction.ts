import { sql, type Kysely } from 'kysely';
import type { Db } from './connection.js';
import type { Database } from './schema/index.js';

/**
 * Every write transaction holds this advisory lock on PostgreSQL, so writers run one at a
 * time as on SQLite: the audit chain gets one end to append to (it never forks), and the
 * "latest consent event" a command read is still the latest when it writes.
 */
export const WRITE_LOCK = 0x636f6e73; // 'cons'

/** Opens a write transaction on conn: BEGIN IMMEDIATE on SQLite, BEGIN and the write lock on PostgreSQL. */
export async function beginWrite(db: Db, conn: Kysely<Database>): Promise<void> {
  if (db.dialect === 'sqlite') {
    await sql`begin immediate`.execute(conn);
    return;
  }
  await sql`begin`.execute(conn);
  await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(conn);
}

/**
 * Runs fn in one write transaction. BEGIN IMMEDIATE (on PostgreSQL, the write lock) is
 * taken up front, so a concurrent writer waits for the busy timeout instead of failing
 * on upgrade. Raw statements on db.sqlite inside fn are part of the same transaction.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.kysely.connection().execute(async (conn) => {
    try {
      await beginWrite(db, conn);
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      // On PostgreSQL a failed statement (or lock wait) leaves the transaction aborted: always roll back.
      if (db.dialect === 'postgres' || db.sqlite.inTransaction) await sql`rollback`.execute(conn).catch(() => {});
      throw err;
    }
  });
}

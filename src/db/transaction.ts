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

/** Runs fn on one connection of the database's pool, held until fn settles (a transaction's statements must share it). */
export function withConnection<T>(db: Db, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.kysely.connection().execute(fn);
}

/** Commits the transaction open on conn. */
export async function commit(conn: Kysely<Database>): Promise<void> {
  await sql`commit`.execute(conn);
}

/** Rolls back the transaction open on conn. */
export async function rollback(conn: Kysely<Database>): Promise<void> {
  await sql`rollback`.execute(conn);
}

/**
 * Runs fn in one write transaction. BEGIN IMMEDIATE (on PostgreSQL, the write lock) is
 * taken up front, so a concurrent writer waits for the busy timeout instead of failing
 * on upgrade. Raw statements on db.sqlite inside fn are part of the same transaction.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return withConnection(db, async (conn) => {
    try {
      await beginWrite(db, conn);
      const result = await fn(conn);
      await commit(conn);
      return result;
    } catch (err) {
      // On PostgreSQL a failed statement (or lock wait) leaves the transaction aborted: always roll back.
      if (db.dialect === 'postgres' || db.sqlite.inTransaction) await rollback(conn).catch(() => {});
      throw err;
    }
  });
}

/**
 * Runs fn on one connection in a read transaction, so every query fn makes there reads the same
 * snapshot (on SQLite, raw statements on db.sqlite too); rolled back at the end, whatever fn did.
 */
export async function inReadSnapshot<T>(db: Db, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  return withConnection(db, async (conn) => {
    await sql.raw(db.dialect === 'sqlite' ? 'begin' : 'begin isolation level repeatable read read only').execute(conn);
    try {
      return await fn(conn);
    } finally {
      await rollback(conn).catch(() => {});
    }
  });
}

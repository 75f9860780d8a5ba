import { sql, type Kysely } from 'kysely';
import type { Db } from './connection.js';
import type { Database } from './schema/index.js';

/**
 * Runs fn in one write transaction. BEGIN IMMEDIATE takes the write lock up front,
 * so a concurrent writer waits for the busy timeout instead of failing on upgrade.
 * Raw statements on db.sqlite inside fn are part of the same transaction.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.kysely.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      if (db.sqlite.inTransaction) await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

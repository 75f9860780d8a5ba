import { sql, type Kysely } from 'kysely';

/** True when a migration runs on SQLite (triggers and identity columns are written per dialect). */
export async function isSqlite(db: Kysely<any>): Promise<boolean> {
  try {
    await sql`select sqlite_version()`.execute(db);
    return true;
  } catch {
    return false;
  }
}

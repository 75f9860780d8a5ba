import type { Db } from './connection.js';

// SQLite's own upkeep of a database file, for db init, backup and check.

/** SQLite: whether the file holds any table at all. */
export function sqliteHasTables(db: Db): boolean {
  return Boolean(db.sqlite.prepare("select 1 from sqlite_master where type = 'table' limit 1").get());
}

/** SQLite: writes the whole database into a new file, by SQLite's online backup. */
export async function backupSqlite(db: Db, file: string): Promise<void> {
  await db.sqlite.backup(file);
}

/** SQLite: what its integrity check reports, a line a problem (one line 'ok' when there is none). */
export function sqliteIntegrityCheck(db: Db): string[] {
  return (db.sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
}

/** SQLite: the references its foreign-key check finds broken. */
export function sqliteForeignKeyViolations(db: Db): unknown[] {
  return db.sqlite.pragma('foreign_key_check') as unknown[];
}

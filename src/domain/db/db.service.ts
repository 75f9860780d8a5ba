import { existsSync, lstatSync, statSync } from 'node:fs';
import { link, unlink, chmod } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { openDb, schemaState, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import { verifyAudit, type Stamp } from '../audit/audit.service.js';
import { appliedMigrationNames, countParticipationDrift, countPeopleByStatus, countRows, postgresDatabaseSize } from './db.repo.js';
import { backupSqlite, sqliteForeignKeyViolations, sqliteHasTables, sqliteIntegrityCheck } from '../../db/maintenance.js';

/**
 * Creates and migrates a new database; refuses one that already holds a schema, and a SQLite
 * file that holds tables of anything else. An empty file given to it becomes the database, mode 0600 (P4).
 */
export async function initDatabase(ctx: Context, stamp: Stamp) {
  const t = ctx.dbTarget;
  // A PostgreSQL database is made by its administrators; init fills an empty one.
  const existed = t.dialect === 'postgres' || (existsSync(t.path) && statSync(t.path).size > 0);
  const db = await ctx.rawDb(true);
  if (existed && (await schemaState(db)).state !== 'empty') {
    throw new ConflictError(`a database already exists at ${ctx.dbPath}`, { key: 'database-exists' });
  }
  if (db.dialect === 'sqlite') {
    if (existed && sqliteHasTables(db)) {
      throw new ConflictError(`${ctx.dbPath} is a SQLite database of something else (it has tables, none of them consort's)`, { key: 'foreign-database' });
    }
    await chmod(db.path, 0o600);
  }
  const migrations = await migrateToLatest(db, { create: true });
  await inTransaction(db, (trx) => appendAuditEntry(trx, { ...stamp, summary: `initialised database (schema ${migrations.join(', ') || 'current'})` }));
  return { path: ctx.dbPath, migrations };
}

/** Runs pending migrations on an existing database, audited. */
export async function migrateDatabase(db: Db, stamp: Stamp) {
  const applied = await migrateToLatest(db);
  if (applied.length) await inTransaction(db, (trx) => appendAuditEntry(trx, { ...stamp, summary: `migrated schema: ${applied.join(', ')}` }));
  return applied;
}

/**
 * Copies the database into a new SQLite FILE (0600), written whole or not at all: with
 * SQLite's online backup, or from PostgreSQL by the same copy as db copy.
 */
export async function backupDatabase(db: Db, stamp: Stamp, file: string) {
  if (!file.trim()) throw new UsageError('db backup needs a file name', 'e.g. consort db backup ./consort-backup.db');
  const target = resolve(file);
  const isDirectory = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (!isDirectory(dirname(target))) throw new UsageError(`cannot write ${file}: directory ${dirname(target)} does not exist`);
  // lstat, not exists: a link that leads nowhere is there too, and a rename would replace it.
  if (lstatSync(target, { throwIfNoEntry: false })) throw new ConflictError(`${file} already exists`, 'choose a new file name; consort never overwrites a backup');
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    if (db.dialect === 'postgres') {
      // A PostgreSQL database is backed up into a new SQLite file, by the same copy as db copy.
      const { copyDatabase } = await import('./db.copy.js');
      const file = openDb(temp, { create: true, kysely: await import('kysely') });
      try {
        await copyDatabase(db, file, stamp, `backup to ${target}`);
      } finally {
        await file.close();
      }
    } else {
      // Audit first, so the backup contains the entry that records it.
      await inTransaction(db, (trx) => appendAuditEntry(trx, { ...stamp, summary: `backup to ${target}` }));
      await backupSqlite(db, temp);
    }
    await chmod(temp, 0o600);
    // link, not rename: it fails if FILE appeared meanwhile, where a rename would replace it.
    await link(temp, target);
    await unlink(temp);
  } catch (err) {
    for (const suffix of ['', '-wal', '-shm']) await unlink(temp + suffix).catch(() => {});
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ConflictError(`${file} already exists`, 'choose a new file name; consort never overwrites a backup');
    throw err;
  }
  return { path: target, bytes: statSync(target).size };
}

/**
 * The audit chain, the participation counts against the activity they count, and the engine's
 * own checks: on SQLite its integrity and foreign-key checks and the file's mode (P4: readable
 * by its owner only); PostgreSQL enforces foreign keys itself, and its files are its
 * administrators' to guard.
 */
export async function checkDatabase(db: Db) {
  const sqlite = db.dialect === 'sqlite';
  const integrity = sqlite ? sqliteIntegrityCheck(db) : ['ok'];
  const foreignKeys = sqlite ? sqliteForeignKeyViolations(db) : [];
  const audit = await verifyAudit(db);
  const participation = await countParticipationDrift(db.kysely);
  const problems: string[] = [];
  if (!(integrity.length === 1 && integrity[0] === 'ok')) problems.push(...integrity.map((i) => `integrity: ${i}`));
  if (foreignKeys.length) problems.push(`foreign keys: ${foreignKeys.length} broken references`);
  if (!audit.ok) problems.push(`audit: entry ${audit.firstBad!.seq}: ${audit.firstBad!.reason}`);
  if (participation) problems.push(`participation: ${participation} (document, member) ${participation === 1 ? 'count differs' : 'counts differ'} from the activity recorded`);
  const mode = sqlite ? statSync(db.path).mode & 0o777 : null;
  const warnings = mode !== null && mode & 0o077 ? [`${db.path} is readable or writable by others (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it`] : [];
  return { ok: problems.length === 0, problems, warnings, mode: mode === null ? null : mode.toString(8).padStart(4, '0'), integrity: integrity.join('; '), foreign_key_violations: foreignKeys.length, participation_mismatches: participation, audit: { ok: audit.ok, entries: audit.entries, head: audit.head, first_bad: audit.firstBad ?? null } };
}

const TABLES = ['organisation', 'person', 'consent_event', 'document', 'activity', 'participant_override', 'disclosure', 'notice', 'export_record', 'audit_entry'] as const;

/** Row counts, size on disk and schema version. */
export async function databaseStats(db: Db) {
  const k = db.kysely;
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = await countRows(k, t);
  const byStatus = await countPeopleByStatus(k);
  const migrations = await appliedMigrationNames(k);
  const bytes = db.dialect === 'sqlite' ? statSync(db.path).size : await postgresDatabaseSize(k);
  return { path: db.path, bytes, schema: migrations[migrations.length - 1] ?? null, tables: counts, people: Object.fromEntries(byStatus.map((r) => [r.status, r.n])) };
}

import { existsSync, statSync } from 'node:fs';
import { rename, unlink, chmod } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { schemaState, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import { verifyAudit, type Stamp } from '../audit/audit.service.js';

/** Creates and migrates a new database; refuses one that already holds a schema. */
export async function initDatabase(ctx: Context, stamp: Stamp, opts: { allowExisting?: boolean } = {}) {
  const existed = existsSync(ctx.dbPath) && statSync(ctx.dbPath).size > 0;
  const db = await ctx.rawDb(true);
  if (existed && schemaState(db).state !== 'empty' && !opts.allowExisting) {
    throw new ConflictError(`a database already exists at ${ctx.dbPath}`, 'use it, or choose another --db PATH');
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

/** Copies the database with SQLite's online backup into FILE (0600), written whole or not at all. */
export async function backupDatabase(db: Db, stamp: Stamp, file: string) {
  const target = resolve(file);
  if (existsSync(target)) throw new ConflictError(`${file} already exists`, 'choose a new file name; consort never overwrites a backup');
  if (!existsSync(dirname(target))) throw new UsageError(`cannot write ${file}: directory ${dirname(target)} does not exist`);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  // Audit first, so the backup contains the entry that records it.
  await inTransaction(db, (trx) => appendAuditEntry(trx, { ...stamp, summary: `backup to ${target}` }));
  try {
    await db.sqlite.backup(temp);
    await chmod(temp, 0o600);
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  return { path: target, bytes: statSync(target).size };
}

/** SQLite's integrity and foreign-key checks, and the audit chain. */
export async function checkDatabase(db: Db) {
  const integrity = (db.sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
  const foreignKeys = db.sqlite.pragma('foreign_key_check') as unknown[];
  const audit = await verifyAudit(db);
  const problems: string[] = [];
  if (!(integrity.length === 1 && integrity[0] === 'ok')) problems.push(...integrity.map((i) => `integrity: ${i}`));
  if (foreignKeys.length) problems.push(`foreign keys: ${foreignKeys.length} broken references`);
  if (!audit.ok) problems.push(`audit: entry ${audit.firstBad!.seq}: ${audit.firstBad!.reason}`);
  // P4: the file should be readable by its owner only (consort creates it 0600).
  const mode = statSync(db.path).mode & 0o777;
  const warnings = mode & 0o077 ? [`${db.path} is readable or writable by others (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it`] : [];
  return { ok: problems.length === 0, problems, warnings, mode: mode.toString(8).padStart(4, '0'), integrity: integrity.join('; '), foreignKeyViolations: foreignKeys.length, audit };
}

const TABLES = ['organisation', 'person', 'consent_event', 'document', 'activity', 'participant_override', 'disclosure', 'notice', 'export_record', 'audit_entry'] as const;

/** Row counts, file size and schema version. */
export async function databaseStats(db: Db) {
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = Number((db.sqlite.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n);
  const byStatus = db.sqlite.prepare('select status, count(*) as n from person group by status').all() as Array<{ status: string; n: number }>;
  const migrations = (db.sqlite.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((r) => r.name);
  return { path: db.path, bytes: statSync(db.path).size, schema: migrations[migrations.length - 1] ?? null, tables: counts, people: Object.fromEntries(byStatus.map((r) => [r.status, r.n])) };
}

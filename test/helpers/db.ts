import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { prepare } from '../../src/db/statements.js';
import type { Stamp } from '../../src/domain/audit/audit.service.js';

/**
 * The suite runs once on SQLite and once on PostgreSQL (SPEC section 6): with CONSORT_TEST_PG
 * (a base URL such as postgres://consort@127.0.0.1:54329, set by test/run.mjs), every database
 * a test makes is a new, empty PostgreSQL database instead of a file.
 */
export const PG = process.env.CONSORT_TEST_PG;
export const onPostgres = Boolean(PG);

const dirs: string[] = [];
const databases: string[] = [];
/** Databases the tests opened, closed before their files or databases are removed. */
const opened: Db[] = [];

/** A new temporary directory, removed when the test file ends. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'consort-test-'));
  dirs.push(d);
  return d;
}

async function admin<T>(fn: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: `${PG}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const db of opened.splice(0)) await db.close().catch(() => {});
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  const drop = databases.splice(0);
  if (drop.length) await admin(async (c) => { for (const name of drop) await c.query(`drop database if exists ${name} with (force)`); });
});

let serial = 0;

/**
 * Where a test's database goes: a file `name` in `dir` (a new temporary directory by default),
 * or, on the PostgreSQL run, the URL of a new, empty database.
 */
export async function newDatabase(dir?: string, name = 'c.db'): Promise<string> {
  if (!PG) return join(dir ?? tempDir(), name);
  const db = `consort_t${process.pid}_${++serial}_${Math.random().toString(36).slice(2, 8)}`;
  await admin((c) => c.query(`create database ${db}`));
  databases.push(db);
  return `${PG}/${db}`;
}

/** Opens a database a test made (a file or a URL) with the query builder. */
export async function openTestDb(location: string): Promise<Db> {
  const kysely = await import('kysely');
  const { openPostgres } = await import('../../src/db/postgres.js');
  const db = location.startsWith('postgres') ? await openPostgres(location, kysely) : openDb(location, { kysely });
  opened.push(db);
  return db;
}

/** A migrated database on the engine under test. */
export async function freshDb(): Promise<{ db: Db; path: string; dir: string }> {
  const dir = tempDir();
  const path = await newDatabase(dir, 'consort.db');
  const db = PG ? await openTestDb(path) : openDb(path, { create: true, kysely: await import('kysely') });
  if (!PG) opened.push(db);
  await migrateToLatest(db, { create: true });
  return { db, path, dir };
}

/** Rows of one query (SQLite's SQL with `?`), on either engine: for assertions on what was stored. */
export async function rows<R = Record<string, unknown>>(db: Db, text: string, ...params: Array<string | number | null>): Promise<R[]> {
  return prepare<R>(db, undefined, text).all(...params);
}

/** Runs one statement (SQLite's SQL with `?`) on either engine, as someone with direct access would. */
export async function runSql(db: Db, text: string, ...params: Array<string | number | null>): Promise<void> {
  await prepare(db, undefined, text).run(...params);
}

/** The same, on a database a command made (a file or a URL), opened and closed around the query. */
export async function rowsAt<R = Record<string, unknown>>(location: string, text: string, ...params: Array<string | number | null>): Promise<R[]> {
  const db = await openTestDb(location);
  try {
    return await rows<R>(db, text, ...params);
  } finally {
    await db.close();
  }
}

export function stampAt(at = '2026-03-01T10:00:00.000Z', command = 'test'): Stamp {
  return { at, actor: 'tester', command };
}

/**
 * A second connection that tells whether some process holds the database's write lock:
 * SQLite's, tried with BEGIN IMMEDIATE and no wait; on PostgreSQL, consort's advisory lock.
 */
export async function writeLockProbe(location: string): Promise<{ held(): Promise<boolean>; close(): Promise<void> }> {
  if (!location.startsWith('postgres')) {
    const Database = (await import('better-sqlite3')).default;
    const probe = new Database(location, { timeout: 0 });
    return {
      held: async () => {
        try {
          probe.exec('begin immediate');
          probe.exec('rollback');
          return false;
        } catch {
          return true;
        }
      },
      close: async () => {
        probe.close();
      },
    };
  }
  const { WRITE_LOCK } = await import('../../src/db/transaction.js');
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  return {
    held: async () => {
      const got = (await client.query('select pg_try_advisory_lock($1) as ok', [WRITE_LOCK])).rows[0].ok as boolean;
      if (got) await client.query('select pg_advisory_unlock($1)', [WRITE_LOCK]);
      return !got;
    },
    close: () => client.end(),
  };
}

/** The number of rows in a table of a database a command made. */
export async function countAt(location: string, table: string): Promise<number> {
  return Number((await rowsAt<{ n: number }>(location, `select count(*) as n from ${table}`))[0]!.n);
}

/** Holds the database's write lock from another connection until release() (SQLite: BEGIN IMMEDIATE). */
export async function holdWriteLock(location: string): Promise<{ release(): Promise<void> }> {
  if (!location.startsWith('postgres')) {
    const Database = (await import('better-sqlite3')).default;
    const holder = new Database(location);
    holder.exec('begin immediate');
    return {
      release: async () => {
        holder.exec('rollback');
        holder.close();
      },
    };
  }
  const { WRITE_LOCK } = await import('../../src/db/transaction.js');
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  await client.query('begin');
  await client.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
  return {
    release: async () => {
      await client.query('rollback');
      await client.end();
    },
  };
}

/** Runs SQL (several statements) on a database a command made, as an intruder with direct access would. */
export async function execAt(location: string, text: string): Promise<void> {
  if (!location.startsWith('postgres')) {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(location);
    try {
      db.exec(text);
    } finally {
      db.close();
    }
    return;
  }
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** SQL that puts a database back as 0011 left it: audit entries without a hash version. */
export const BEFORE_0012 = "alter table audit_entry drop column hash_version; delete from kysely_migration where name = '0012-audit-hash-version';";

/** SQL that puts a database back as 0010 left it: the consent index without action. */
export const BEFORE_0011 =
  BEFORE_0012 +
  ' drop index consent_event_state; create index consent_event_state on consent_event (person_id, purpose, document_id, at, id); ' +
  "delete from kysely_migration where name = '0011-consent-state-covering';";

/** SQL that puts a database back as 0009 left it: no delivery records, acknowledgements or Message-IDs. */
export const BEFORE_0010 =
  BEFORE_0011 +
  ' drop table problem_ack; drop table notice_delivery; drop index notice_message_id; alter table notice drop column reply; alter table notice drop column message_id; ' +
  "delete from kysely_migration where name = '0010-notice-delivery';";

/** SQL that puts a database back as 0008 left it: the unique event index on the bare document_id. */
export const BEFORE_0009 =
  BEFORE_0010 +
  ' drop index activity_event_unique; create unique index activity_event_unique on activity (person_id, at, action, document_id); ' +
  "delete from kysely_migration where name = '0009-activity-null-document';";

/**
 * The message a promise is rejected with ('' if it resolves). Errors made by the native SQLite
 * driver may come from another test file's realm, which Jest's rejects.toThrow does not see as errors.
 */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (err) {
    return String((err as { message?: string })?.message ?? err);
  }
}

/** A database location as consort prints it: a path as is, a URL with its password masked. */
export async function shown(location: string): Promise<string> {
  const { maskUrl } = await import('../../src/db/target.js');
  return location.startsWith('postgres') ? maskUrl(location) : location;
}

import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { DatabaseError, classifyError, fsReason } from '../errors.js';
import { MIGRATION_NAMES } from '../../db/migrations/names.js';
import type { Database } from './schema/index.js';

/** The Kysely module, passed in by whoever needs the query builder (it costs start-up time). */
export type KyselyModule = typeof import('kysely');

/** The engines consort runs on (SPEC section 6). */
export type Dialect = 'sqlite' | 'postgres';

/** An open consort database: Kysely for ordinary queries, the raw SQLite handle for hot paths. */
export interface Db {
  readonly dialect: Dialect;
  /** The query builder; only for a database opened with the Kysely module. */
  readonly kysely: Kysely<Database>;
  /** The raw SQLite handle: only on SQLite (check `dialect` first). */
  readonly sqlite: BetterSqlite3.Database;
  /** Where it is, for messages: the file path, or the URL with its password masked. */
  path: string;
  close(): Promise<void>;
  /**
   * PostgreSQL: `COPY table (columns) FROM STDIN` of `lines` (COPY's text format, each ending in
   * a newline) on the connection `conn` holds, inside its transaction. Only on PostgreSQL.
   */
  copyFrom?(conn: Kysely<Database>, table: string, columns: readonly string[], lines: string[]): Promise<void>;
}

/**
 * better-sqlite3, told where its native addon is (the `bindings` search for it stats a dozen
 * paths). Its JavaScript is bundled into dist (build.mjs): required from node_modules, its
 * thirteen files cost every command that opens a database about 6 ms.
 */
const requireCjs = createRequire(import.meta.url);
let addon: string | null | undefined;
function sqliteAddon(): string | undefined {
  if (addon === undefined) {
    const path = join(dirname(requireCjs.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    addon = existsSync(path) ? path : null;
  }
  return addon ?? undefined;
}

export const MIGRATION_TABLE = 'kysely_migration';
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** Create the file (mode 0600, directory 0700) if it does not exist: `init` and `demo` only. */
  create?: boolean;
  busyTimeoutMs?: number;
  /** The Kysely module, for commands that use the query builder (most); the fast reads go without. */
  kysely?: KyselyModule;
}

/** Opens (or, for init and demo, creates) the SQLite database with WAL, foreign keys and a busy timeout. */
export function openDb(path: string, options: OpenOptions = {}): Db {
  if (!existsSync(path)) {
    if (!options.create) throw new DatabaseError(`no database at ${path}`, 'create one with consort init, or pass --db PATH');
    createFile(path);
  } else if (!options.create && statSync(path).size === 0) {
    // SQLite would take an empty file for a new database and write its header into it.
    throw new DatabaseError(`${path} is an empty file, not a consort database`, 'create one with consort init');
  }
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path, { fileMustExist: true, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, nativeBinding: sqliteAddon() });
    // A SQLite database of something else stays as it is (WAL would rewrite its header): the
    // schema check that follows refuses it.
    if (isConsortOrEmpty(sqlite)) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = FULL');
    // What a change removes (an erased name, an old address) is overwritten, not left readable in free space.
    sqlite.pragma('secure_delete = ON');
  } catch (err) {
    throw classifyError(err, path) ?? err;
  }
  let kysely: Kysely<Database> | undefined;
  const module = options.kysely;
  return {
    dialect: 'sqlite',
    get kysely() {
      if (!module) throw new Error('this command opened the database without Kysely');
      kysely ??= new module.Kysely<Database>({ dialect: new module.SqliteDialect({ database: sqlite }) });
      return kysely;
    },
    sqlite,
    path,
    close: async () => {
      if (kysely) await kysely.destroy();
      else sqlite.close();
    },
  };
}

/** Creates the file (0600), and its directory (0700) if missing: an unusable path is a clear error, not a crash. */
function createFile(path: string): void {
  try {
    const dir = dirname(path);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    // EEXIST: the path is there but not a file existsSync could see, a link that leads nowhere.
    const why = (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'it is a symbolic link that leads nowhere' : fsReason(err);
    throw new DatabaseError(`cannot create the database ${path}: ${why}`, 'check the path and its permissions, or choose another --db PATH');
  }
}

/** Copies the write-ahead log into the file and empties it, without waiting for a reader that holds it; false if one does. */
export function emptyWriteAheadLog(sqlite: BetterSqlite3.Database): boolean {
  const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma('busy_timeout = 0');
  try {
    return (sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>)[0]!.busy === 0;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * SQLite: sets the connection's page cache (`cacheSize` as SQLite's cache_size takes it: negative
 * for KiB) and, given `mmapSize`, reads the file through a memory map of that many bytes; both
 * last as long as the connection. Nothing on PostgreSQL.
 */
export function setPageCache(db: Db, cacheSize: number, mmapSize?: number): void {
  if (db.dialect !== 'sqlite') return;
  db.sqlite.pragma(`cache_size = ${cacheSize}`);
  if (mmapSize !== undefined) db.sqlite.pragma(`mmap_size = ${mmapSize}`);
}

/** Whether the open file is a consort database, or a new one with no tables yet. */
function isConsortOrEmpty(sqlite: BetterSqlite3.Database): boolean {
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
  return tables.length === 0 || tables.includes(MIGRATION_TABLE);
}

export type SchemaState = { state: 'current' } | { state: 'empty' } | { state: 'older'; missing: string[] } | { state: 'newer'; unknown: string[] };

/** The names of the migrations applied, or undefined when the database has no consort schema. */
async function appliedMigrations(db: Db): Promise<string[] | undefined> {
  if (db.dialect === 'sqlite') {
    const table = db.sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(MIGRATION_TABLE);
    if (!table) return undefined;
    return (db.sqlite.prepare(`select name from ${MIGRATION_TABLE}`).all() as Array<{ name: string }>).map((r) => r.name);
  }
  const { sql } = await import('kysely');
  const table = await sql<{ t: string | null }>`select to_regclass(${MIGRATION_TABLE}) as t`.execute(db.kysely);
  if (!table.rows[0]?.t) return undefined;
  return (await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db.kysely)).rows.map((r) => r.name);
}

/** Compares the migrations applied to a database with the ones this build knows, without running any. */
export async function schemaState(db: Db): Promise<SchemaState> {
  const applied = await appliedMigrations(db);
  if (!applied) return { state: 'empty' };
  const known: readonly string[] = MIGRATION_NAMES;
  const unknown = applied.filter((n) => !known.includes(n));
  if (unknown.length) return { state: 'newer', unknown };
  const missing = known.filter((n) => !applied.includes(n));
  return missing.length ? { state: 'older', missing } : { state: 'current' };
}

/** Refuses to work on a database whose schema is not the one this build expects (exit 8). */
export async function assertSchemaCurrent(db: Db): Promise<void> {
  const s = await schemaState(db);
  if (s.state === 'current') return;
  if (s.state === 'empty') throw new DatabaseError(`${db.path} is not a consort database (no schema)`, 'create one with consort init');
  if (s.state === 'older') throw new DatabaseError(`database ${db.path} has an older schema (missing ${s.missing.join(', ')})`, 'run consort db migrate');
  throw new DatabaseError(`database ${db.path} was written by a newer consort (schema ${s.unknown.join(', ')})`, 'upgrade consort to use it');
}

import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import type { Pool, PoolClient, PoolConfig } from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { DatabaseError } from '../errors.js';
import type { Db, KyselyModule } from './connection.js';
import { maskUrl } from './target.js';
import type { Database } from './schema/index.js';

const requireCjs = createRequire(import.meta.url);

/** PostgreSQL's type ids whose text form consort reads as a number: int8 (ids, counts) and numeric (sums). */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * Opens a PostgreSQL database through Kysely's PostgreSQL dialect and the pg driver, and
 * checks that it answers: a refused connection, a wrong password or a missing database is
 * exit 8 with one line, naming the URL with its password masked.
 */
export async function openPostgres(url: string, kysely: KyselyModule, options: { busyTimeoutMs?: number } = {}): Promise<Db> {
  const pg = requireCjs('pg') as typeof import('pg');
  const Cursor = requireCjs('pg-cursor') as typeof import('pg-cursor');
  const shown = maskUrl(url);
  const config: PoolConfig = {
    connectionString: url,
    // A command holds one connection for its transaction; a second serves reads beside it.
    max: 4,
    connectionTimeoutMillis: 10_000,
    // Ids and counts are bigint on PostgreSQL; as numbers they print and compare as on SQLite.
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format))) as never },
    // A lock held by another writer is waited for as long as on SQLite, then reported.
    // (0 would mean "wait for ever" to PostgreSQL; to consort, as to SQLite, it means "do not wait".)
    options: `-c lock_timeout=${Math.max(1, options.busyTimeoutMs ?? 5000)} -c client_min_messages=warning`,
    application_name: 'consort',
  };
  const pool: Pool = new pg.Pool(config);
  // An idle connection dropped by the server must not crash the command.
  pool.on('error', () => {});
  // Each client by its server process id, so a COPY can run on the one a Kysely connection holds.
  const clients = new Map<number, PoolClient>();
  pool.on('connect', (client) => {
    // A server gone while a command holds the connection between statements (stopped, or
    // crashed) must not crash the command: the next statement fails, and that is reported (exit 8).
    client.on('error', () => {});
    const pid = (client as unknown as { processID: number }).processID;
    clients.set(pid, client);
    client.on('end', () => clients.delete(pid));
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw postgresOpenError(err, shown);
  }
  const clientOf = new WeakMap<Kysely<Database>, PoolClient>();
  const db: Kysely<Database> = new kysely.Kysely<Database>({ dialect: new kysely.PostgresDialect({ pool, cursor: Cursor }) });
  return {
    dialect: 'postgres',
    kysely: db,
    get sqlite(): never {
      throw new Error('internal: the raw SQLite handle was asked for on PostgreSQL');
    },
    path: shown,
    close: () => db.destroy(),
    async copyFrom(conn, table, columns, lines) {
      let client = clientOf.get(conn);
      if (!client) {
        const { rows } = await kysely.sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        client = clients.get(Number(rows[0]!.pid));
        if (!client) throw new Error('internal: the connection of a COPY was not found');
        clientOf.set(conn, client);
      }
      const { from } = requireCjs('pg-copy-streams') as typeof import('pg-copy-streams');
      const copy = client.query(from(`copy "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`));
      try {
        await pipeline(Readable.from(chunks(lines)), copy);
      } catch (err) {
        // Rows written to a server that went away meet the closed socket: that is a lost
        // connection (SQLSTATE 08006), as a statement sent then would report it.
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE' || code === 'ECONNRESET') throw Object.assign(new Error(`Connection terminated during COPY (${code})`), { code: '08006' });
        throw err;
      }
    },
  };
}

/** COPY's input in pieces of some 64 kB, not a string a line nor one string of every line. */
function* chunks(lines: string[]): Generator<string> {
  let piece = '';
  for (const line of lines) {
    piece += line;
    if (piece.length >= 1 << 16) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/** Why a PostgreSQL database could not be opened, in one line without the password. */
function postgresOpenError(err: unknown, shown: string): DatabaseError {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  if (code === '28P01' || code === '28000') return new DatabaseError(`cannot log in to ${shown}: authentication failed`, 'check the user name and password in the URL');
  if (code === '3D000') return new DatabaseError(`no database at ${shown}`, 'create it (createdb), then run consort init --db URL');
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH')
    return new DatabaseError(`cannot connect to ${shown} (${code})`, 'check the host and port, and that PostgreSQL is running');
  const message = (e?.message ?? String(err)).replace(/\s+/g, ' ');
  return new DatabaseError(`cannot open ${shown}: ${message}`, 'check the URL and that PostgreSQL is running');
}

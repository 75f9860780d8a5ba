import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { Output, type Streams } from './io/output.js';
import { parseIsoTime } from './domain/time.js';
import type { Db } from './db/connection.js';

/** The options every command accepts (SPEC section 3). */
export interface GlobalOptions {
  db?: string;
  format?: string;
  color?: boolean;
  input?: boolean;
  yes?: boolean;
  actor?: string;
  quiet?: boolean;
  verbose?: boolean;
}

/** Where the database lives: --db, else CONSORT_DB, else $XDG_DATA_HOME/consort/consort.db. */
export function resolveDbPath(flag: string | undefined, env: Record<string, string | undefined>): string {
  if (flag) return resolve(flag);
  if (env.CONSORT_DB) return resolve(env.CONSORT_DB);
  const data = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(data, 'consort', 'consort.db');
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** What a command gets: streams and output, clock, actor, database, prompts. */
export class Context {
  readonly out: Output;
  readonly actor: string;
  private path: string;
  private readonly fixedNow?: string;
  private opened?: Db;

  constructor(
    readonly streams: Streams,
    readonly options: GlobalOptions,
    /** The command as typed, e.g. `member add`, for the audit log. */
    public command = '',
  ) {
    this.out = new Output(streams, { color: options.color, quiet: options.quiet, verbose: options.verbose });
    this.actor = options.actor || streams.env.CONSORT_ACTOR || osUser();
    this.path = resolveDbPath(options.db, streams.env);
    const now = streams.env.CONSORT_NOW;
    if (now) {
      this.fixedNow = parseIsoTime(now);
      if (!this.fixedNow) throw new UsageError(`CONSORT_NOW is not an ISO 8601 time: '${now}'`, 'e.g. CONSORT_NOW=2026-01-31T09:00:00Z');
    }
  }

  /** The current time as a UTC ISO string; CONSORT_NOW fixes it for tests and reproducible runs. */
  now(): string {
    return this.fixedNow ?? new Date().toISOString();
  }

  /** The database file this command works on. */
  get dbPath(): string {
    return this.path;
  }

  /** Points the command at another database before it is opened (demo's own default). */
  useDbPath(path: string): void {
    if (this.opened) throw new Error('database already open');
    this.path = path;
  }

  get format(): string | undefined {
    return this.options.format;
  }

  /**
   * Opens the existing database and checks its schema version (never creates it).
   * `raw` leaves the query builder out, for the fast reads that use the raw handle only.
   */
  async db(opts: { raw?: boolean } = {}): Promise<Db> {
    if (!this.opened) {
      const { openDb, assertSchemaCurrent } = await import('./db/connection.js');
      const kysely = opts.raw ? undefined : await import('kysely');
      const db = openDb(this.dbPath, { busyTimeoutMs: this.busyTimeout(), kysely });
      this.opened = db;
      assertSchemaCurrent(db);
    }
    return this.opened;
  }

  /** Opens the database without the schema check, creating it when asked (init, demo, db migrate). */
  async rawDb(create: boolean): Promise<Db> {
    if (!this.opened) {
      const { openDb } = await import('./db/connection.js');
      this.opened = openDb(this.dbPath, { create, busyTimeoutMs: this.busyTimeout(), kysely: await import('kysely') });
    }
    return this.opened;
  }

  private busyTimeout(): number | undefined {
    const v = Number(this.streams.env.CONSORT_BUSY_TIMEOUT_MS);
    return Number.isFinite(v) && v >= 0 && this.streams.env.CONSORT_BUSY_TIMEOUT_MS ? v : undefined;
  }

  /** Prompts are allowed only when stdin and stdout are terminals and --no-input was not given. */
  get canPrompt(): boolean {
    return this.options.input !== false && Boolean(this.streams.stdin.isTTY) && Boolean(this.streams.stdout.isTTY);
  }

  /** Asks for a missing value on a terminal; elsewhere a usage error naming the flag. */
  async ask(flag: string, message: string, validate?: (v: string) => true | string): Promise<string> {
    if (!this.canPrompt) throw new UsageError(`missing ${flag}`, `pass ${flag}; consort only prompts on a terminal`);
    const { input } = await import('@inquirer/prompts');
    return input({ message, validate: validate ?? ((v) => (v.trim() ? true : 'required')) }, { input: this.streams.stdin, output: this.streams.stdout });
  }

  /** Confirmation for a destructive step: --yes, or a yes on a terminal; elsewhere a usage error. */
  async confirm(message: string): Promise<boolean> {
    if (this.options.yes) return true;
    if (!this.canPrompt) throw new UsageError('this command needs confirmation', this.options.input === false ? 'pass --yes; --no-input turns prompts off' : 'pass --yes to run it without a terminal');
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message, default: false }, { input: this.streams.stdin, output: this.streams.stdout });
  }

  async close(): Promise<void> {
    const db = this.opened;
    this.opened = undefined;
    if (db) await db.close();
  }
}

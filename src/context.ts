import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { interactive, Output, type Streams } from './io/output.js';
import { parseIsoTime } from './domain/shared/time.js';
// Statically: nearly every command opens the database, and a separate chunk is one more file to wait for.
import { assertSchemaCurrent, openDb, type Db, type KyselyModule } from './db/connection.js';
import { displayTarget, parseDbTarget, type DbTarget } from './db/target.js';

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
  /** --wide: terminal tables show every value whole. */
  wide?: boolean;
  /** false for --no-pager. */
  pager?: boolean;
}

/** Where the database lives: --db, else CONSORT_DB, else $XDG_DATA_HOME/consort/consort.db; a postgres:// URL selects PostgreSQL. */
export function resolveDbTarget(flag: string | undefined, env: Record<string, string | undefined>): DbTarget {
  // Given but empty (`--db "$UNSET"` in a cron line) is a mistake, never a reason to fall back to another database.
  if (flag !== undefined && !flag.trim()) throw new UsageError('--db is empty', 'give a path or a postgres:// URL, or leave --db out');
  if (flag === undefined && env.CONSORT_DB !== undefined && !env.CONSORT_DB.trim()) throw new UsageError('CONSORT_DB is set but empty', 'give it a path or a postgres:// URL, or unset it');
  const given = flag ?? env.CONSORT_DB;
  if (given) return parseDbTarget(given, (p) => resolve(p));
  const data = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return { dialect: 'sqlite', path: join(data, 'consort', 'consort.db') };
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
  private who?: string;
  private target: DbTarget;
  private readonly fixedNow?: string;
  private opened?: Db;

  constructor(
    readonly streams: Streams,
    readonly options: GlobalOptions,
    /** The command as typed, e.g. `member add`, for the audit log. */
    public command = '',
  ) {
    this.out = new Output(streams, { color: options.color, quiet: options.quiet, verbose: options.verbose, wide: options.wide, pager: options.pager, now: () => this.now() });
    this.target = resolveDbTarget(options.db, streams.env);
    const now = streams.env.CONSORT_NOW;
    if (now) {
      this.fixedNow = parseIsoTime(now);
      if (!this.fixedNow) throw new UsageError(`CONSORT_NOW is not an ISO 8601 time: '${now}'`, 'e.g. CONSORT_NOW=2026-01-31T09:00:00Z');
    }
  }

  /** Who is acting, for the audit log; the OS user (a system call) is looked up only when a command writes. */
  get actor(): string {
    return (this.who ??= this.options.actor || this.streams.env.CONSORT_ACTOR || osUser());
  }

  /** The current time as a UTC ISO string; CONSORT_NOW fixes it for tests and reproducible runs. */
  now(): string {
    return this.fixedNow ?? new Date().toISOString();
  }

  /** The database this command works on, as it may be shown: a file path, or a URL with its password masked. */
  get dbPath(): string {
    return displayTarget(this.target);
  }

  /** The database this command works on. */
  get dbTarget(): DbTarget {
    return this.target;
  }

  /** Points the command at another database file before it is opened (demo's own default). */
  useDbPath(path: string): void {
    if (this.opened) throw new Error('database already open');
    this.target = { dialect: 'sqlite', path };
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
      // PostgreSQL has no raw handle: every command on it goes through Kysely.
      const kysely = opts.raw && this.target.dialect === 'sqlite' ? undefined : await import('kysely');
      const db = await this.open(false, kysely);
      this.opened = db;
      await assertSchemaCurrent(db);
    }
    return this.opened;
  }

  /** Opens the database without the schema check, creating it when asked (init, demo, db migrate). */
  async rawDb(create: boolean): Promise<Db> {
    if (!this.opened) {
      this.opened = await this.open(create, await import('kysely'));
    }
    return this.opened;
  }

  /** Opens a second database, such as db copy's target (created if it is a new file); the caller closes it. */
  async openOther(location: string, create: boolean): Promise<Db> {
    return this.open(create, await import('kysely'), parseDbTarget(location, (p) => resolve(p)));
  }

  private async open(create: boolean, kysely: KyselyModule | undefined, t: DbTarget = this.target): Promise<Db> {
    if (t.dialect === 'postgres') {
      const { openPostgres } = await import('./db/postgres.js');
      return openPostgres(t.url, kysely!, { busyTimeoutMs: this.busyTimeout() });
    }
    return openDb(t.path, { create, busyTimeoutMs: this.busyTimeout(), kysely });
  }

  private busyTimeout(): number | undefined {
    const raw = this.streams.env.CONSORT_BUSY_TIMEOUT_MS;
    if (raw === undefined || raw === '') return undefined;
    // At most 2^31 - 1 ms (about 24 days), the most a timer (and SQLite's busy handler) takes.
    if (!/^\d+$/.test(raw.trim()) || Number(raw) > 2 ** 31 - 1) throw new UsageError(`CONSORT_BUSY_TIMEOUT_MS is not a number of milliseconds: '${raw}'`, 'a whole number up to 2147483647, e.g. CONSORT_BUSY_TIMEOUT_MS=10000');
    return Number(raw);
  }

  /** Prompts are allowed only when stdin and stdout are terminals and --no-input was not given. */
  get canPrompt(): boolean {
    return this.options.input !== false && interactive(this.streams);
  }

  /** Asks for a missing value on a terminal; elsewhere a usage error naming the flag. */
  async ask(flag: string, message: string, validate?: (v: string) => true | string): Promise<string> {
    if (!this.canPrompt) throw new UsageError(`missing ${flag}`, `pass ${flag}; consort only prompts on a terminal`);
    const { input } = await import('@inquirer/prompts');
    return input({ message, validate: validate ?? ((v) => (v.trim() ? true : 'required')) }, { input: this.streams.stdin, output: this.streams.stdout });
  }

  /** One of a few choices, on a terminal (callers ask only when canPrompt). */
  async choose<V extends string>(message: string, choices: Array<{ name: string; value: V }>, fallback: V): Promise<V> {
    if (!this.canPrompt) return fallback;
    const { select } = await import('@inquirer/prompts');
    return select({ message, choices, default: fallback }, { input: this.streams.stdin, output: this.streams.stdout });
  }

  /** A yes or no question on a terminal, whatever --yes says (it is a value, not a confirmation); else the default. */
  async yesNo(message: string, fallback: boolean): Promise<boolean> {
    if (!this.canPrompt) return fallback;
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message, default: fallback }, { input: this.streams.stdin, output: this.streams.stdout });
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

/** Exit codes of consort, documented in the README and in `consort --help`. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  checkFailed: 3,
  invalidInput: 4,
  notFound: 5,
  conflict: 6,
  policy: 7,
  database: 8,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Why an error happened, for an error whose words name a command-line flag: domain code throws
 * the key (and the values the words quote) with a message in its own terms, and the command
 * layer words it (src/cli/reasons.ts), so the domain never speaks the command line's language.
 */
export type Reason =
  | { key: 'find-person' }
  | { key: 'allow-erased' }
  | { key: 'nothing-to-change'; fields: 'person' | 'organisation' }
  | { key: 'erasure-reason' }
  | { key: 'draft-needs-date'; slug: string }
  | { key: 'never-released'; slug: string }
  | { key: 'already-released' }
  | { key: 'p9-untold' }
  | { key: 'p9-early'; until: string }
  | { key: 'force-needs-reason'; waitFor: string }
  | { key: 'demo-exists' }
  | { key: 'not-a-demo' }
  | { key: 'database-exists' }
  | { key: 'foreign-database' }
  | { key: 'p2-legal-basis' }
  | { key: 'missing-recipient' }
  | { key: 'title'; error: string }
  | { key: 'domain' }
  | { key: 'notice-before'; at: string; which: string; given: boolean; earliest: string }
  | { key: 'skip-invalid-notices' }
  | { key: 'notice-at-not-time'; at: string }
  | { key: 'notice-at-future'; at: string; now: string }
  | { key: 'notice-channel' }
  | { key: 'notice-of-one' }
  | { key: 'clear-problem'; code: string }
  | { key: 'skip-invalid-rows' }
  | { key: 'pipe-bad-row' }
  | { key: 'erased-row' };

/** Base of every error consort expects: carries its exit code and a hint on what to do. */
export class ConsortError extends Error {
  /** The hint as shown; set from `reason` by the command layer when the domain gave a reason. */
  hint?: string;
  /** The machine-readable why, when the words name a flag (the command layer words it). */
  readonly reason?: Reason;

  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    hint?: string | Reason,
  ) {
    super(message);
    this.name = new.target.name;
    if (typeof hint === 'object') this.reason = hint;
    else this.hint = hint;
  }
}

/** A missing, unknown or malformed argument or option. */
export class UsageError extends ConsortError {
  constructor(message: string, hint: string | Reason = 'see consort --help') {
    super(message, ExitCode.usage, hint);
  }
}

/** One bad piece of input data, located as precisely as we can. */
export interface InputProblem {
  source?: string;
  line?: number;
  field?: string;
  reason: string;
  /** What to do about it, where the words name a flag: the command layer adds them (src/cli/reasons.ts). */
  advice?: Reason;
}

/** Formats a problem as `file:line: field: reason`. */
export function formatProblem(p: InputProblem): string {
  const where = [p.source, p.line === undefined ? undefined : String(p.line)].filter(Boolean).join(':');
  return [where || undefined, p.field, p.reason].filter((x) => x !== undefined && x !== '').join(': ');
}

/** Invalid input data; nothing was written. */
export class InputError extends ConsortError {
  constructor(
    message: string,
    readonly problems: InputProblem[] = [],
    hint?: string | Reason,
  ) {
    super(message, ExitCode.invalidInput, hint);
  }
}

export class NotFoundError extends ConsortError {
  constructor(message: string, hint?: string | Reason) {
    super(message, ExitCode.notFound, hint);
  }
}

export class ConflictError extends ConsortError {
  constructor(message: string, hint?: string | Reason) {
    super(message, ExitCode.conflict, hint);
  }
}

/** Refused by a rule of the privacy policy (P1–P10); the message names the rule. */
export class PolicyError extends ConsortError {
  constructor(
    readonly rule: string,
    message: string,
    hint?: string | Reason,
  ) {
    super(`${message} [${rule}]`, ExitCode.policy, hint);
  }
}

/** The database is missing, locked, corrupt or of another schema version. */
export class DatabaseError extends ConsortError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.database, hint);
  }
}

/** The mail server cannot be reached or used (exit 8, as a database that cannot be): nothing was sent. */
export class MailServerError extends ConsortError {
  constructor(message: string, hint = 'check smtp-url or CONSORT_SMTP_URL, and that the server runs; nothing was sent') {
    super(message, ExitCode.database, hint);
  }
}

/** A check ran and found problems; the problems themselves were already printed. */
export class CheckFailedError extends ConsortError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.checkFailed, hint);
  }
}

/** A file-system error in plain words, for a message about a path (its own message when it has none here). */
export function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is not a directory',
    ENAMETOOLONG: 'the name is too long',
    ELOOP: 'too many symbolic links',
    EROFS: 'the file system is read-only',
    EPIPE: 'the reader closed it before the end',
    EIO: 'input/output error',
    EISDIR: 'it is a directory',
  };
  return words[e.code ?? ''] ?? e.message;
}

/** Maps low-level SQLite and file-system errors to typed consort errors; returns undefined for bugs. */
export function classifyError(err: unknown, dbPath?: string): ConsortError | undefined {
  if (err instanceof ConsortError) return err;
  const e = err as { code?: string; message?: string; path?: string };
  const code = e?.code ?? '';
  const db = dbPath ? `database ${dbPath}` : 'database';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED') {
    return new DatabaseError(`${db} is locked by another process`, 'retry in a moment; consort waits CONSORT_BUSY_TIMEOUT_MS, 5000 by default');
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT')) {
    return new DatabaseError(`${db} is corrupt or not a consort database`, 'restore it from a backup');
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) {
    return new DatabaseError(`${db} is read-only`, 'check the permissions of the file and its directory');
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new DatabaseError(`disk full writing the ${db}`, 'free some space and run the command again; nothing was written');
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR')) {
    return new DatabaseError(`cannot open or write the ${db}: ${e.message}`, 'check the path and its permissions');
  }
  // PostgreSQL's SQLSTATE codes, and the driver's network errors.
  if (code === '55P03' || code === '40P01' || code === '40001') {
    return new DatabaseError(`${db} is locked by another process`, 'retry in a moment; consort waits CONSORT_BUSY_TIMEOUT_MS, 5000 by default');
  }
  if (code === '53100') return new DatabaseError(`disk full writing the ${db}`, 'free some space on the database server and run the command again; nothing was written');
  if (code === '25006') return new DatabaseError(`${db} is read-only`, 'connect to the primary, or as a user who may write');
  if (code === '42501') return new DatabaseError(`permission denied on the ${db}: ${e.message}`, 'ask for the privileges consort needs on its tables');
  const lost = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(e.message ?? '');
  if (lost || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === '57P01' || code.startsWith('08')) {
    return new DatabaseError(`lost the connection to the ${db}`, 'check that PostgreSQL is running, then run the command again; nothing half-done was kept');
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ConsortError(`permission denied: ${e.path ?? e.message}`, ExitCode.database, 'check the file permissions');
  }
  return undefined;
}

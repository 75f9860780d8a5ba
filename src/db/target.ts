import { UsageError } from '../errors.js';

/** Where a database is: a SQLite file, or a PostgreSQL URL (kept whole, shown masked). */
export type DbTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
const ANY_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * --db or CONSORT_DB: postgres://… (or postgresql://…) selects PostgreSQL; a path or sqlite:PATH
 * selects SQLite. Any other URL is refused (exit 2), never taken for a file name.
 */
export function parseDbTarget(value: string, resolvePath: (p: string) => string): DbTarget {
  if (POSTGRES_URL.test(value)) return { dialect: 'postgres', url: value };
  if (/^sqlite:/i.test(value)) return { dialect: 'sqlite', path: resolvePath(value.replace(/^sqlite:(\/\/)?/i, '')) };
  if (ANY_URL.test(value)) throw new UsageError(`unknown kind of database URL: ${maskUrl(value)}`, 'give postgres://user@host/name, or a file path');
  return { dialect: 'sqlite', path: resolvePath(value) };
}

/**
 * A URL as it may be printed: everything between the user name and the last @ replaced by
 * ***, however the password is written (even with characters that a URL parser would read
 * as the end of the host), and any password=… parameter too.
 */
export function maskUrl(url: string): string {
  let shown = url;
  const start = url.indexOf('://');
  const at = url.lastIndexOf('@');
  if (start >= 0 && at > start) {
    const userinfo = url.slice(start + 3, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) shown = `${url.slice(0, start + 3)}${userinfo.slice(0, colon)}:***${url.slice(at)}`;
  }
  return shown.replace(/([?&][^=&]*pass[^=&]*=)[^&]*/gi, '$1***');
}

/** How a target is shown in messages and output. */
export function displayTarget(t: DbTarget): string {
  return t.dialect === 'sqlite' ? t.path : maskUrl(t.url);
}

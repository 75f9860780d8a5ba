/** Where a database is: a SQLite file, or a PostgreSQL URL (kept whole, shown masked). */
export type DbTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** --db or CONSORT_DB: postgres://… (or postgresql://…) selects PostgreSQL; a path or sqlite:PATH selects SQLite. */
export function parseDbTarget(value: string, resolvePath: (p: string) => string): DbTarget {
  if (POSTGRES_URL.test(value)) return { dialect: 'postgres', url: value };
  const path = value.replace(/^sqlite:(\/\/)?/i, '');
  return { dialect: 'sqlite', path: resolvePath(path) };
}

/** A URL as it may be printed: its password replaced by ***, whatever the URL's shape. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@').replace(/(pass\w*=)[^&]*/gi, '$1***');
  }
}

/** How a target is shown in messages and output. */
export function displayTarget(t: DbTarget): string {
  return t.dialect === 'sqlite' ? t.path : maskUrl(t.url);
}

import { Context, type GlobalOptions } from '../context.js';
import type { Streams } from '../io/output.js';
import { listDocumentSlugs } from '../domain/document/document.repo.js';
import { listOrgNames } from '../domain/org/org.repo.js';

/** Names with a line break cannot be offered one a line. */
const oneLine = (names: string[]) => names.filter((n) => !/[\r\n]/.test(n));

/** Document slugs or organisation names from the existing database (never created), for `__complete`. */
export async function listNames(streams: Streams, options: GlobalOptions, kind: string): Promise<string[]> {
  if (kind !== 'slugs' && kind !== 'orgs') return [];
  const ctx = new Context(streams, { ...options, quiet: true }, '__complete');
  try {
    const db = await ctx.db();
    if (kind === 'slugs') return oneLine(await listDocumentSlugs(db.kysely));
    return oneLine(await listOrgNames(db.kysely));
  } finally {
    await ctx.close();
  }
}

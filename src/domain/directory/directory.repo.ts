import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

/** One entry of the members-only directory. */
export interface DirectoryEntry {
  name: string;
  email: string;
  organisation: string | null;
}

/**
 * Current members whose latest blanket `directory` event is not a withdrawal (P6), by name as
 * people sort names (case and accents aside).
 */
export async function listDirectoryEntries(db: Kysely<Database>): Promise<DirectoryEntry[]> {
  const rows = await db
    .selectFrom('person as p')
    .leftJoin('organisation as o', 'o.id', 'p.organisation_id')
    .select(['p.name', 'p.email', 'o.name as organisation'])
    .where('p.status', '=', 'member')
    .where(sql<boolean>`coalesce((select c.action from consent_event c where c.person_id = p.id and c.purpose = 'directory' and c.document_id is null order by c.at desc, c.id desc limit 1), 'grant') = 'grant'`)
    .orderBy('p.name')
    .execute();
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
  return rows.sort((a, b) => collator.compare(a.name, b.name));
}

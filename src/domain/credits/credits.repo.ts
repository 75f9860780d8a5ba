import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

/** The credits an edition of a document released: the facts as released, and when their person was erased (null if never). */
export function releasedCreditsOf(db: Kysely<Database>, slug: string, edition: number): Promise<Array<{ facts: string; erased_at: string | null }>> {
  return db
    .selectFrom('disclosure as x')
    .innerJoin('document as d', 'd.id', 'x.document_id')
    .innerJoin('person as p', 'p.id', 'x.person_id')
    .select(['x.facts', 'p.erased_at'])
    .where('d.slug', '=', slug)
    .where('x.kind', '=', 'credit')
    .where('x.state', '=', 'released')
    .where('x.edition', '=', edition)
    .execute();
}

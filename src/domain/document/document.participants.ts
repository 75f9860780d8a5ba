import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { NotFoundError } from '../../errors.js';
import { getSetting } from '../settings/settings.service.js';
import { findDocument, selectCandidates } from './document.repo.js';
import { judgeParticipant, sortCredits, type CreditFacts, type Participant } from './document.rules.js';

// Who takes part in a document and who a release credits (P8), read by the document and credits
// commands and by the disclosure service. Kept apart from document.service.ts, which writes
// through the disclosure service, so that neither service imports the other.

/** A document as listed and shown. */
export interface DocumentView {
  slug: string;
  title: string;
  status: 'draft' | 'scheduled' | 'released';
  release_on: string | null;
  released_at: string | null;
  edition: number;
  created_at: string;
}

/** A document row as listed and shown. */
export const documentView = (d: { slug: string; title: string; status: string; release_on: string | null; released_at: string | null; edition: number; created_at: string }): DocumentView => ({
  slug: d.slug,
  title: d.title,
  status: d.status as DocumentView['status'],
  release_on: d.release_on,
  released_at: d.released_at,
  edition: Number(d.edition),
  created_at: d.created_at,
});

/** The document with this slug, or not found (exit 5). */
export async function requireDocument(db: Kysely<Database>, slug: string) {
  const doc = await findDocument(db, slug);
  if (!doc) throw new NotFoundError(`no document '${slug}'`, 'see consort document list');
  return doc;
}

/**
 * The candidates of a document judged by the rules of P8: those who can be
 * participants (enough activity, or changed by hand), or with `all` everyone with
 * any activity (for the participants listing, which explains who is below the threshold).
 */
export async function documentParticipants(db: Kysely<Database>, slug: string, opts: { all?: boolean } = {}): Promise<{ document: DocumentView; threshold: number; people: Participant[] }> {
  const doc = await requireDocument(db, slug);
  const threshold = Number(await getSetting(db, 'participation-threshold'));
  const people = (await selectCandidates(db, Number(doc.id), opts.all ? 0 : threshold)).map((c) => judgeParticipant(c, threshold));
  return { document: documentView(doc), threshold, people };
}

/** The people a release credits now, sorted, with the facts each credit releases. */
export function creditsOf(people: Participant[]): Array<CreditFacts & { personId: number; organisationId: number | null }> {
  return sortCredits(people.filter((p) => p.credited).map((p) => ({ name: p.name, email: p.email, company: p.organisation, personId: p.personId, organisationId: p.organisationId })));
}

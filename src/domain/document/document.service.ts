import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, InputError, NotFoundError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { getSetting } from '../settings/settings.service.js';
import { cleanText } from '../shared/text.js';
import { allDocuments, creditedIn, findDocument, insertDocument, insertReleasedCredit, releaseCredit, selectCandidates, setDocumentReleased, setDocumentSchedule, toldOf, upsertParticipantOverride } from './document.repo.js';
import { cancelPlanned, plannedCredits } from '../disclosure/disclosure.repo.js';
import { findPersonByEmail } from '../member/member.repo.js';
import { creditsOf, documentParticipants, documentView, requireDocument, type DocumentView } from './document.participants.js';
import { syncCreditDisclosures } from '../disclosure/disclosure.service.js';
import { p9Gate } from '../disclosure/gate.js';
import { creditFactsJson, judgeParticipant } from './document.rules.js';

const SLUG = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Adds a document: draft, or scheduled when a release date is given (a day from today on: document.schema.ts). */
export async function addDocument(db: Db, stamp: Stamp, input: { slug: string; title: string; releaseOn?: string }): Promise<DocumentView> {
  const slug = input.slug.trim();
  if (!SLUG.test(slug)) throw new UsageError(`invalid slug '${input.slug}'`, 'use lower-case letters, digits, dots, dashes and underscores, e.g. qti-3.0');
  const title = cleanText(input.title);
  if ('error' in title) throw new InputError(`title ${title.error}`, [], { key: 'title', error: title.error });
  const releaseOn = input.releaseOn ?? null;
  return inTransaction(db, async (trx) => {
    if (await findDocument(trx, slug)) throw new ConflictError(`document '${slug}' already exists`, `see consort document show ${slug}`);
    await insertDocument(trx, { slug, title: title.value, releaseOn, at: stamp.at });
    await appendAuditEntry(trx, { ...stamp, summary: `added document ${slug}${releaseOn ? ` scheduled for ${releaseOn}` : ''}` });
    return documentView((await findDocument(trx, slug))!);
  });
}

export async function listDocuments(db: Db): Promise<DocumentView[]> {
  return (await allDocuments(db.kysely)).map(documentView);
}

export async function showDocument(db: Db, slug: string) {
  const doc = await requireDocument(db.kysely, slug);
  const threshold = Number(await getSetting(db.kysely, 'participation-threshold'));
  const people = (await selectCandidates(db.kysely, Number(doc.id), threshold)).map((c) => judgeParticipant(c, threshold));
  // After release, the credited are those of the frozen list, not who would be credited now.
  const frozen = doc.status === 'released' ? (await creditedIn(db.kysely, Number(doc.id), Number(doc.edition))).length : undefined;
  return { ...documentView(doc), participants: people.filter((p) => p.participant).length, credited: frozen ?? people.filter((p) => p.credited).length };
}

/** draft → scheduled, or a scheduled document moved to another date (a day from today on: document.schema.ts); a released one is scheduled for its next edition. */
export async function scheduleDocument(db: Db, stamp: Stamp, slug: string, date: string): Promise<DocumentView> {
  return inTransaction(db, async (trx) => {
    const doc = await requireDocument(trx, slug);
    // A released document scheduled again is its next edition: its credits are planned, noticed and released anew.
    await setDocumentSchedule(trx, Number(doc.id), date, stamp.at);
    await appendAuditEntry(trx, { ...stamp, summary: `scheduled document ${slug}${doc.status === 'released' ? ` edition ${Number(doc.edition) + 1}` : ''} for ${date} (was ${doc.status}${doc.release_on ? ` for ${doc.release_on}` : ''})` });
    return documentView((await findDocument(trx, slug))!);
  });
}

/** Adds or removes a participant by hand; a removal sticks even if more activity arrives. */
export async function overrideParticipant(db: Db, stamp: Stamp, slug: string, email: string, kind: 'added' | 'removed') {
  return inTransaction(db, async (trx) => {
    const doc = await requireDocument(trx, slug);
    const person = await findPersonByEmail(trx, email);
    if (!person) throw new NotFoundError(`no person with email ${email}`, { key: 'find-person' });
    if (kind === 'added' && person.status === 'contact') throw new ConflictError(`${person.email} is a contact, not a member`, 'only members and former members take part in documents');
    await upsertParticipantOverride(trx, { document_id: Number(doc.id), person_id: person.id, kind, at: stamp.at, actor: stamp.actor });
    await appendAuditEntry(trx, { ...stamp, summary: `participant person #${person.id} ${kind} by hand on document ${slug}` });
    return { document: slug, email: person.email, change: kind };
  });
}

/**
 * Releases a scheduled document in one transaction: one released `credit` disclosure
 * per credited person, with exactly the facts released (P8); planned credit
 * disclosures are cancelled; the document becomes `released`. A released document
 * is released again only with `again` (a new edition, new disclosures).
 */
export async function releaseDocument(db: Db, stamp: Stamp, slug: string, opts: { again?: boolean; force?: boolean; reason?: string } = {}) {
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    const { document, people } = await documentParticipants(trx, slug);
    if (document.status === 'draft') throw new ConflictError(`document '${slug}' is draft; a release needs a date first`, { key: 'draft-needs-date', slug });
    if (document.status !== 'released' && opts.again) throw new ConflictError(`document '${slug}' was never released; only a released document has a new edition`, { key: 'never-released', slug });
    if (document.status === 'released' && !opts.again) throw new ConflictError(`document '${slug}' is already released (edition ${document.edition}, ${document.released_at})`, { key: 'already-released' });
    const doc = (await findDocument(trx, slug))!;
    const edition = document.edition + 1;
    const credits = creditsOf(people);
    const dueOn = document.release_on ?? stamp.at.slice(0, 10);
    // Planned credit disclosures (with their notices) become the released ones; anyone
    // credited without one (a new edition) gets a new one; the rest are cancelled.
    const planned = await plannedCredits(trx, Number(doc.id));
    const plannedFor = new Map(planned.map((d) => [d.person_id, d.id]));
    // P9: everyone credited must have been told before their name goes out; in a new edition,
    // those the previous edition already credited are public already.
    const told = await toldOf(trx, planned.map((d) => d.id));
    const before = new Set(await creditedIn(trx, Number(doc.id), document.edition));
    const uninformed = credits
      .filter((c) => !told.has(plannedFor.get(c.personId) ?? -1) && !(opts.again && before.has(c.personId)))
      .map((c) => ({ disclosure: plannedFor.get(c.personId) ?? null, who: c.email }));
    await p9Gate(trx, stamp, `release of ${slug}`, uninformed, opts.force ? { reason: opts.reason } : undefined);
    for (const c of credits) {
      const facts = creditFactsJson(c.name, c.email, c.company);
      const id = plannedFor.get(c.personId);
      plannedFor.delete(c.personId);
      if (id !== undefined) {
        await releaseCredit(trx, id, { edition, facts, organisationId: c.organisationId, at: stamp.at });
      } else {
        await insertReleasedCredit(trx, { personId: c.personId, organisationId: c.organisationId, documentId: Number(doc.id), edition, dueOn, facts, at: stamp.at });
      }
    }
    for (const id of plannedFor.values()) await cancelPlanned(trx, stamp.at, { id });
    await setDocumentReleased(trx, Number(doc.id), edition, stamp.at);
    await appendAuditEntry(trx, { ...stamp, summary: `released document ${slug} edition ${edition}: ${credits.length} credit disclosures` });
    return { slug, edition, released_at: stamp.at, credited: credits.length, not_credited: people.filter((p) => p.participant && !p.credited).length };
  });
}

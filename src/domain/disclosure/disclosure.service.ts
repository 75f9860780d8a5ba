import { findDocument } from '../document/document.repo.js';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError, PolicyError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { documentParticipants } from '../document/document.participants.js';
import { creditFactsJson } from '../document/document.rules.js';
import { latestConsent } from '../consent/consent.repo.js';
import { getSetting } from '../settings/settings.service.js';
import { addDays } from '../shared/time.js';
import { planMembershipOf } from '../member/membership.repo.js';
import { checkDisclosures, PROBLEMS, type DisclosureProblem } from './disclosure.check.js';
import { cancelPlanned, disclosurePagesWhere, insertPlannedDisclosure, memberFacts, organisationName, plannedCredits, replanDisclosure, scheduledDocuments, upsertProblemAck, type DisclosureRow } from './disclosure.repo.js';

async function noticeDays(db: Kysely<Database>): Promise<number> {
  return Number(await getSetting(db, 'notice-days'));
}

/**
 * What becoming a member brings (P6, P7): a public announcement planned
 * `notice-days` ahead, so the member can be told first; and the directory relay,
 * released at once, its notice recorded by the membership terms. Run after the
 * membership consents are granted: someone whose `directory` consent is still
 * withdrawn (grantMembershipTerms kept it so) is not listed by `directory export`,
 * so nothing is relayed and no directory disclosure or notice is recorded.
 * Returns whether the directory relay was recorded.
 */
export async function planMembership(db: Db, trx: Kysely<Database>, stamp: Stamp, personId: number): Promise<{ directory: boolean }> {
  const p = await memberFacts(trx, personId);
  // The same test as directory export's: the latest blanket directory event decides.
  const directory = (await latestConsent(trx, personId, 'directory', null))?.action !== 'withdraw';
  await planMembershipOf(db, trx, { at: stamp.at, actor: stamp.actor, announceOn: addDays(stamp.at, await noticeDays(trx)) }, { personId, name: p.name, email: p.email, emailKey: p.emailKey, organisationId: p.organisationId, organisation: p.organisation, directory });
  return { directory };
}

/** Plans the public announcement of an organisation's membership (P7); its notice goes to the contact person. */
export async function planOrganisationAnnouncement(trx: Kysely<Database>, stamp: Stamp, organisationId: number): Promise<void> {
  const name = await organisationName(trx, organisationId);
  await insertPlannedDisclosure(trx, { kind: 'announcement', personId: null, organisationId, audience: 'public', basis: 'membership terms (P7)', dueOn: addDays(stamp.at, await noticeDays(trx)), facts: JSON.stringify({ organisation: name }), at: stamp.at });
}

/**
 * Cancels the planned public announcement of a person or an organisation that is no longer a
 * member (P7): they are not to be announced as a new member. Released ones stay, as history.
 * Returns how many were cancelled.
 */
export async function cancelPlannedAnnouncement(trx: Kysely<Database>, stamp: Stamp, of: { personId: number } | { organisationId: number }): Promise<number> {
  return cancelPlanned(trx, stamp.at, { announcementOf: of });
}

/**
 * Keeps the planned credit disclosures of every scheduled document in step with
 * who would be credited now (participants and consents change until release):
 * plans the missing ones, cancels those no longer due, moves dates. Audited when
 * anything changed. Returns how many changed.
 */
export async function syncCreditDisclosures(trx: Kysely<Database>, stamp: Stamp): Promise<number> {
  const docs = await scheduledDocuments(trx);
  let changes = 0;
  for (const doc of docs) {
    const { people } = await documentParticipants(trx, doc.slug);
    const byPerson = new Map((await plannedCredits(trx, doc.id)).map((d) => [d.person_id, d]));
    for (const p of people.filter((x) => x.credited)) {
      const facts = creditFactsJson(p.name, p.email, p.organisation);
      const existing = byPerson.get(p.personId);
      byPerson.delete(p.personId);
      if (!existing) {
        await insertPlannedDisclosure(trx, { kind: 'credit', personId: p.personId, organisationId: p.organisationId, documentId: doc.id, audience: 'public', basis: 'credit consent (P8)', dueOn: doc.release_on!, facts, at: stamp.at });
        changes++;
      } else if (existing.due_on !== doc.release_on || existing.facts !== facts) {
        await replanDisclosure(trx, existing.id, doc.release_on!, facts);
        changes++;
      }
    }
    for (const gone of byPerson.values()) {
      await cancelPlanned(trx, stamp.at, { id: gone.id });
      changes++;
    }
  }
  if (changes) await appendAuditEntry(trx, { ...stamp, summary: `planned credit disclosures brought in step with participants and consents: ${changes} changed` });
  return changes;
}

/** Brings planned disclosures up to date in one transaction (run before anything reads them). */
export function refreshDisclosures(db: Db, stamp: Stamp): Promise<number> {
  return inTransaction(db, (trx) => syncCreditDisclosures(trx, stamp));
}

/** Which disclosures to list; kind and state checked as `disclosures list`'s options are (disclosure.schema.ts). */
export interface DisclosureFilter {
  kind?: DisclosureRow['kind'];
  state?: DisclosureRow['state'];
  person?: string;
  document?: string;
}

/** Disclosures, filtered, each with its notice state, a page at a time (one snapshot; memory holds a page). */
export async function listDisclosures(db: Db, f: DisclosureFilter): Promise<AsyncGenerator<ListedDisclosure[]>> {
  if (f.document && !(await findDocument(db.kysely, f.document))) throw new NotFoundError(`no document '${f.document}'`, 'see consort document list');
  return withNoticeStates(disclosurePagesWhere(db, { kind: f.kind, state: f.state, personKey: f.person ? f.person.trim().normalize('NFC').toLowerCase() : undefined, document: f.document }));
}

/** Each disclosure of each page with its notice state, added to the row itself (not a spread copy: docs/ARCHITECTURE.md). */
async function* withNoticeStates(pages: AsyncIterable<DisclosureRow[]>): AsyncGenerator<ListedDisclosure[]> {
  for await (const page of pages) yield page.map((d) => Object.assign(d, { notice: noticeState(d) }));
}

/** A disclosure as `disclosures list` prints it: with how far the people concerned were told. */
export type ListedDisclosure = DisclosureRow & { notice: string };

/** How far the people concerned were told: informed (when), not needed, or pending. */
export function noticeState(d: DisclosureRow): string {
  if (d.no_notice_reason) return `not given: ${d.no_notice_reason}`;
  if (d.person_id === null) return d.contact_noticed_at ? `contact informed ${d.contact_noticed_at}` : d.contact_id ? 'contact not informed' : 'no contact person';
  return d.subject_noticed_at ? `informed ${d.subject_noticed_at}` : 'not informed';
}

/**
 * Accepts a reviewed problem of `disclosures check` (audited): it is shown as acknowledged and no
 * longer fails the check, until the facts behind it change. The problem must be current.
 */
export async function acknowledgeProblem(db: Db, stamp: Stamp, id: string, reason: string): Promise<DisclosureProblem> {
  // Checked (1 to 500 printable characters) as `disclosures ack`'s option is: disclosure.schema.ts.
  const why = reason.trim();
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    const { problems } = await checkDisclosures(db, stamp.at.slice(0, 10), 100000, { fingerprints: true, conn: trx });
    const p = problems.find((x) => x.id === id);
    if (!p) throw new NotFoundError(`no current problem ${id}`, 'see consort disclosures check for the ids; a problem whose facts changed has a fresh check');
    if (!PROBLEMS[p.code].ack) throw new PolicyError('P9', `${id} cannot be acknowledged: someone concerned has not been told`, { key: 'clear-problem', code: p.code });
    await upsertProblemAck(trx, { problem_id: id, fingerprint: p.fingerprint, reason: why, actor: stamp.actor, at: stamp.at });
    await appendAuditEntry(trx, { ...stamp, summary: `acknowledged ${id} (${p.subject ?? p.organisation ?? ''}, due ${p.due_on}): ${why}` });
    const { fingerprint: _digest, ...shown } = p;
    return { ...shown, acknowledged: { reason: why, actor: stamp.actor, at: stamp.at } };
  });
}

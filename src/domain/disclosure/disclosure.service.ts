import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { documentParticipants } from '../document/document.participants.js';
import { creditFactsJson } from '../document/document.rules.js';
import { latestConsent } from '../consent/consent.repo.js';
import { getSetting } from '../settings/settings.service.js';
import { membershipStatements, selectDisclosures, selectLegalWithoutExemption, toDisclosureRow, type DisclosureRow } from './disclosure.repo.js';
import type { Uninformed } from './gate.js';

/** A calendar date `days` after (or before, negative) a date or time. */
export function addDays(dateOrTime: string, days: number): string {
  return new Date(Date.parse(dateOrTime.slice(0, 10)) + days * 86_400_000).toISOString().slice(0, 10);
}

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
  const p = await trx
    .selectFrom('person as p')
    .leftJoin('organisation as o', 'o.id', 'p.organisation_id')
    .select(['p.name', 'p.email', 'p.organisation_id', 'o.name as organisation'])
    .where('p.id', '=', personId)
    .executeTakeFirstOrThrow();
  const organisationId = p.organisation_id === null ? null : Number(p.organisation_id);
  // The same test as directory export's: the latest blanket directory event decides.
  const directory = (await latestConsent(trx, personId, 'directory', null))?.action !== 'withdraw';
  await membershipStatements(db, trx).plan(personId, organisationId, { name: p.name, email: p.email, organisation: p.organisation }, stamp.at, addDays(stamp.at, await noticeDays(trx)), stamp.actor, { directory });
  return { directory };
}

/** Plans the public announcement of an organisation's membership (P7); its notice goes to the contact person. */
export async function planOrganisationAnnouncement(trx: Kysely<Database>, stamp: Stamp, organisationId: number): Promise<void> {
  const o = await trx.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  await trx
    .insertInto('disclosure')
    .values({ kind: 'announcement', person_id: null, organisation_id: organisationId, audience: 'public', basis: 'membership terms (P7)', due_on: addDays(stamp.at, await noticeDays(trx)), state: 'planned', facts: JSON.stringify({ organisation: o.name }), created_at: stamp.at })
    .execute();
}

/**
 * Cancels the planned public announcement of a person or an organisation that is no longer a
 * member (P7): they are not to be announced as a new member. Released ones stay, as history.
 * Returns how many were cancelled.
 */
export async function cancelPlannedAnnouncement(trx: Kysely<Database>, stamp: Stamp, of: { personId: number } | { organisationId: number }): Promise<number> {
  let q = trx.updateTable('disclosure').set({ state: 'cancelled', cancelled_at: stamp.at }).where('kind', '=', 'announcement').where('state', '=', 'planned');
  q = 'personId' in of ? q.where('person_id', '=', of.personId) : q.where('organisation_id', '=', of.organisationId).where('person_id', 'is', null);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/**
 * Keeps the planned credit disclosures of every scheduled document in step with
 * who would be credited now (participants and consents change until release):
 * plans the missing ones, cancels those no longer due, moves dates. Audited when
 * anything changed. Returns how many changed.
 */
export async function syncCreditDisclosures(trx: Kysely<Database>, stamp: Stamp): Promise<number> {
  const docs = await trx.selectFrom('document').select(['id', 'slug', 'release_on']).where('status', '=', 'scheduled').execute();
  let changes = 0;
  for (const doc of docs) {
    const { people } = await documentParticipants(trx, doc.slug);
    const planned = await trx.selectFrom('disclosure').select(['id', 'person_id', 'due_on', 'facts']).where('document_id', '=', doc.id).where('kind', '=', 'credit').where('state', '=', 'planned').execute();
    const byPerson = new Map(planned.map((d) => [Number(d.person_id), d]));
    for (const p of people.filter((x) => x.credited)) {
      const facts = creditFactsJson(p.name, p.email, p.organisation);
      const existing = byPerson.get(p.personId);
      byPerson.delete(p.personId);
      if (!existing) {
        await trx
          .insertInto('disclosure')
          .values({ kind: 'credit', person_id: p.personId, organisation_id: p.organisationId, document_id: Number(doc.id), audience: 'public', basis: 'credit consent (P8)', due_on: doc.release_on!, state: 'planned', facts, created_at: stamp.at })
          .execute();
        changes++;
      } else if (existing.due_on !== doc.release_on || existing.facts !== facts) {
        await trx.updateTable('disclosure').set({ due_on: doc.release_on!, facts }).where('id', '=', existing.id).execute();
        changes++;
      }
    }
    for (const gone of byPerson.values()) {
      await trx.updateTable('disclosure').set({ state: 'cancelled', cancelled_at: stamp.at }).where('id', '=', gone.id).execute();
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

export interface DisclosureFilter {
  kind?: string;
  state?: string;
  person?: string;
  document?: string;
}

/** Disclosures, filtered, each with its notice state. */
export async function listDisclosures(db: Db, f: DisclosureFilter): Promise<Array<DisclosureRow & { notice: string }>> {
  if (f.kind && !['credit', 'announcement', 'directory', 'legal'].includes(f.kind)) throw new UsageError(`invalid --kind '${f.kind}'`, 'use credit, announcement, directory or legal');
  if (f.state && !['planned', 'released', 'cancelled'].includes(f.state)) throw new UsageError(`invalid --state '${f.state}'`, 'use planned, released or cancelled');
  if (f.document && !(await db.kysely.selectFrom('document').select('id').where('slug', '=', f.document).executeTakeFirst())) throw new NotFoundError(`no document '${f.document}'`, 'see consort document list');
  let q = selectDisclosures(db.kysely);
  if (f.kind) q = q.where('x.kind', '=', f.kind as DisclosureRow['kind']);
  if (f.state) q = q.where('x.state', '=', f.state as DisclosureRow['state']);
  if (f.person) q = q.where('p.email_key', '=', f.person.trim().normalize('NFC').toLowerCase());
  if (f.document) q = q.where('d.slug', '=', f.document);
  return (await q.execute()).map(toDisclosureRow).map((d) => ({ ...d, notice: noticeState(d) }));
}

/** How far the people concerned were told: informed (when), not needed, or pending. */
export function noticeState(d: DisclosureRow): string {
  if (d.no_notice_reason) return `not given: ${d.no_notice_reason}`;
  if (d.person_id === null) return d.contact_noticed_at ? `contact informed ${d.contact_noticed_at}` : d.contact_id ? 'contact not informed' : 'no contact person';
  return d.subject_noticed_at ? `informed ${d.subject_noticed_at}` : 'not informed';
}

export const PROBLEM_CODES = ['subject-not-informed', 'notice-too-late', 'org-contact-not-informed', 'org-has-no-contact', 'participant-without-consent', 'consent-withdrawn-after-notice'] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** The codes that mean someone concerned was never told, which a release or publication refuses (P9). */
const UNTOLD: readonly ProblemCode[] = ['subject-not-informed', 'org-contact-not-informed', 'org-has-no-contact'];

/** The people a release or publication would leave untold, from `disclosures check` problems. */
export function untoldIn(problems: DisclosureProblem[]): Uninformed[] {
  return problems.filter((p) => UNTOLD.includes(p.code)).map((p) => ({ disclosure: p.disclosure, who: p.subject ?? p.organisation ?? 'unknown' }));
}

/** One thing `disclosures check` found; `code` is stable for scripts. */
export interface DisclosureProblem {
  code: ProblemCode;
  disclosure: number | null;
  kind: string;
  subject: string | null;
  organisation: string | null;
  document: string | null;
  due_on: string;
  message: string;
}

/**
 * P9: for every planned disclosure due within `within` days (or overdue), is every
 * person concerned told at least `notice-days` before? Also participants who will
 * be left out for lack of consent (so staff can ask) and consents withdrawn after
 * a notice. Run refreshDisclosures first.
 */
export async function checkDisclosures(db: Kysely<Database>, today: string, within?: number): Promise<{ within: number; noticeDays: number; through: string; problems: DisclosureProblem[] }> {
  const days = await noticeDays(db);
  const window = within ?? days;
  const through = addDays(today, window);
  const problems: DisclosureProblem[] = [];
  // Two indexed queries rather than one OR, which would scan every released disclosure.
  const planned = await selectDisclosures(db).where('x.state', '=', 'planned').where('x.due_on', '<=', through).execute();
  const rows = [...planned.map(toDisclosureRow), ...(await selectLegalWithoutExemption(db))];
  for (const d of rows) {
    const base = { disclosure: d.id, kind: d.kind, subject: d.email, organisation: d.organisation, document: d.document, due_on: d.due_on };
    const what = `${d.kind}${d.document ? ` in ${d.document}` : ''} due ${d.due_on}`;
    const informBy = addDays(d.due_on, -days);
    if (d.kind === 'legal') {
      if (!d.subject_noticed_at && !d.no_notice_reason) problems.push({ ...base, code: 'subject-not-informed', message: `${d.email} was not told of the lawful disclosure to ${d.recipient}` });
      continue;
    }
    if (d.person_id !== null) {
      if (!d.subject_noticed_at) problems.push({ ...base, code: 'subject-not-informed', message: `${d.email} has not been told of the ${what} (inform by ${informBy})` });
      else if (d.subject_noticed_at.slice(0, 10) > informBy) problems.push({ ...base, code: 'notice-too-late', message: `${d.email} was told on ${d.subject_noticed_at.slice(0, 10)}, fewer than ${days} days before the ${what}` });
      if (d.kind === 'announcement' && d.subject_noticed_at) {
        const c = await latestConsent(db, d.person_id, 'announcement', null);
        if (c?.action === 'withdraw' && c.at > d.subject_noticed_at) problems.push({ ...base, code: 'consent-withdrawn-after-notice', message: `${d.email} withdrew the announcement consent on ${c.at.slice(0, 10)}, after being told; it will not be announced` });
      }
    } else if (!d.contact_id) {
      problems.push({ ...base, code: 'org-has-no-contact', message: `${d.organisation} has no contact person to tell of the ${what}` });
    } else if (!d.contact_noticed_at) {
      problems.push({ ...base, code: 'org-contact-not-informed', message: `${d.contact_email}, contact of ${d.organisation}, has not been told of the ${what} (inform by ${informBy})` });
    } else if (d.contact_noticed_at.slice(0, 10) > informBy) {
      problems.push({ ...base, subject: d.contact_email, code: 'notice-too-late', message: `${d.contact_email}, contact of ${d.organisation}, was told on ${d.contact_noticed_at.slice(0, 10)}, fewer than ${days} days before the ${what}` });
    }
  }
  // Scheduled documents in the window: who will be left out for lack of consent, and who withdrew after being told.
  const docs = await db.selectFrom('document').select(['id', 'slug', 'release_on']).where('status', '=', 'scheduled').where('release_on', '<=', through).orderBy('release_on').execute();
  for (const doc of docs) {
    const { people } = await documentParticipants(db, doc.slug);
    const told = new Map(
      (await db.selectFrom('notice as n').innerJoin('disclosure as x', 'x.id', 'n.disclosure_id').select(['n.person_id', 'n.at']).where('x.document_id', '=', doc.id).where('x.kind', '=', 'credit').where('n.role', '=', 'subject').execute()).map((n) => [Number(n.person_id), n.at]),
    );
    for (const p of people.filter((x) => x.participant && !x.credited)) {
      const base = { disclosure: null, kind: 'credit', subject: p.email, organisation: p.organisation, document: doc.slug, due_on: doc.release_on! };
      if (p.consent === 'none') problems.push({ ...base, code: 'participant-without-consent', message: `${p.email} takes part in ${doc.slug} (${p.how}) but has given no credit consent; ask before ${doc.release_on}` });
      else if (told.has(p.personId)) problems.push({ ...base, code: 'consent-withdrawn-after-notice', message: `${p.email} was told of the credit in ${doc.slug} on ${told.get(p.personId)!.slice(0, 10)} and then withdrew (${p.consent}); they will not be credited` });
    }
  }
  return { within: window, noticeDays: days, through, problems };
}

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { latestConsent } from '../consent/consent.repo.js';
import { documentParticipants } from '../document/document.participants.js';
import { unsettledDeliveries, type Delivery } from '../notice/notice.repo.js';
import { getSetting } from '../settings/settings.service.js';
import { addDays } from '../shared/time.js';
import type { Db } from '../../db/connection.js';
import { checkRowPages, creditNoticeTimes, problemAcks, scheduledDocuments, selectLegalWithoutExemption, type CheckRow } from './disclosure.repo.js';
import type { Uninformed } from './gate.js';
import { PROBLEMS, type ProblemCode } from './disclosure.problems.js';

export { PROBLEMS, PROBLEM_CODES, type ProblemCode } from './disclosure.problems.js';

/** The codes that mean someone concerned was never told, which a release or publication refuses (P9). */
const UNTOLD: readonly ProblemCode[] = ['subject-not-informed', 'notice-failed', 'notice-uncertain', 'org-contact-not-informed', 'org-has-no-contact'];

/** One thing `disclosures check` found; `id` and `code` are stable for scripts. */
export interface DisclosureProblem {
  /** Stable while the problem lasts: `CODE:dDISCLOSURE`, or `CODE:SLUG:pPERSON` for a participant. */
  id: string;
  code: ProblemCode;
  severity: 'error' | 'info';
  disclosure: number | null;
  kind: string;
  subject: string | null;
  organisation: string | null;
  document: string | null;
  due_on: string;
  message: string;
  /** Set when staff reviewed and accepted it (disclosures ack), while its facts are unchanged. */
  acknowledged: { reason: string; actor: string; at: string } | null;
}

/** A problem with the digest of the facts behind it: an acknowledgement holds while that stays the same. */
export type FingerprintedProblem = DisclosureProblem & { fingerprint: string };

/** The people a release or publication would leave untold, from `disclosures check` problems. */
export function untoldIn(problems: DisclosureProblem[]): Uninformed[] {
  return problems.filter((p) => UNTOLD.includes(p.code)).map((p) => ({ disclosure: p.disclosure, who: p.subject ?? p.organisation ?? 'unknown' }));
}

type Found = Omit<DisclosureProblem, 'id' | 'severity' | 'clear' | 'acknowledged'> & { person?: number; facts: unknown[] };

interface CheckScope {
  db: Db;
  /** The connection to read on: the pool, or a transaction's. */
  conn: Kysely<Database>;
  days: number;
  through: string;
}

/** A problem of disclosure `d`. */
function found(d: CheckRow, code: ProblemCode, subject: string | null, message: string, facts: unknown[]): Found {
  return { disclosure: d.id, kind: d.kind, subject, organisation: d.organisation, document: d.document, due_on: d.due_on, code, message, facts };
}

/** What disclosure `d` is, for a message: `announcement due 2026-12-16`. */
function what(d: CheckRow): string {
  return `${d.kind}${d.document ? ` in ${d.document}` : ''} due ${d.due_on}`;
}

/** An untold person of `d`; whose mail failed or may have arrived is its own problem. */
function untold(d: CheckRow, delivery: Delivery | undefined, email: string, code: 'subject-not-informed' | 'org-contact-not-informed', message: string): Found {
  if (delivery?.state === 'failed') return found(d, 'notice-failed', email, `the notice to ${email} of the ${what(d)} was refused: ${delivery.reason}`, [delivery.reason, delivery.address]);
  if (delivery?.state === 'uncertain' || delivery?.state === 'sending') return found(d, 'notice-uncertain', email, `the notice to ${email} of the ${what(d)} may not have arrived (a send stopped on ${delivery.updated_at.slice(0, 10)})`, [delivery.updated_at]);
  // Put off by the server (4xx) in the last run: still untold, and here is why.
  if (delivery?.state === 'deferred') return found(d, code, email, `${message}; the last send was put off: ${delivery.reason}`, [d.due_on]);
  return found(d, code, email, message, [d.due_on]);
}

/**
 * Problems of planned (and lawful, made) disclosures: was everyone concerned told, in time, and
 * did the mail arrive? (Each row's problems are built by the functions above, not by closures
 * made a row: a check printing 300k problems made a million of them.)
 */
async function* disclosureProblems({ db, conn, days, through }: CheckScope): AsyncGenerator<Found[]> {
  const unsettled = new Map<string, Delivery>((await unsettledDeliveries(conn)).map((d) => [`${d.disclosure_id}:${d.person_id}`, d]));
  const deliveryOf = (d: CheckRow, personId: number) => (unsettled.size ? unsettled.get(`${d.id}:${personId}`) : undefined);
  // Most rows of a large check share a few dates.
  const informByOf = new Map<string, string>();
  // Planned ones a page at a time (a backlog of any size is one page of memory), then the lawful ones made:
  // two indexed reads rather than one OR, which would scan every released disclosure.
  for await (const rows of pagesThen<CheckRow>(checkRowPages(db, conn, through), () => selectLegalWithoutExemption(conn))) {
    const problems: Found[] = [];
    for (const d of rows) {
      let informBy = informByOf.get(d.due_on);
      if (informBy === undefined) informByOf.set(d.due_on, (informBy = addDays(d.due_on, -days)));
      if (d.kind === 'legal') {
        if (!d.subject_noticed_at && !d.no_notice_reason) problems.push(untold(d, deliveryOf(d, d.person_id!), d.email!, 'subject-not-informed', `${d.email} was not told of the lawful disclosure to ${d.recipient}`));
        continue;
      }
      if (d.person_id !== null) {
        if (!d.subject_noticed_at) problems.push(untold(d, deliveryOf(d, d.person_id), d.email!, 'subject-not-informed', `${d.email} has not been told of the ${what(d)} (inform by ${informBy})`));
        else if (d.subject_noticed_at.slice(0, 10) > informBy) problems.push(found(d, 'notice-too-late', d.email, `${d.email} was told on ${d.subject_noticed_at.slice(0, 10)}, fewer than ${days} days before the ${what(d)}`, [d.due_on, d.subject_noticed_at, days]));
        if (d.kind === 'announcement' && d.subject_noticed_at) {
          const c = await latestConsent(conn, d.person_id, 'announcement', null);
          if (c?.action === 'withdraw' && c.at > d.subject_noticed_at) problems.push(found(d, 'consent-withdrawn-after-notice', d.email, `${d.email} withdrew the announcement consent on ${c.at.slice(0, 10)}, after being told; it will not be announced`, [c.at]));
        }
      } else if (!d.contact_id) {
        problems.push(found(d, 'org-has-no-contact', d.email, `${d.organisation} has no contact person to tell of the ${what(d)}`, [d.due_on]));
      } else if (!d.contact_noticed_at) {
        problems.push(untold(d, deliveryOf(d, d.contact_id), d.contact_email!, 'org-contact-not-informed', `${d.contact_email}, contact of ${d.organisation}, has not been told of the ${what(d)} (inform by ${informBy})`));
      } else if (d.contact_noticed_at.slice(0, 10) > informBy) {
        problems.push(found(d, 'notice-too-late', d.contact_email, `${d.contact_email}, contact of ${d.organisation}, was told on ${d.contact_noticed_at.slice(0, 10)}, fewer than ${days} days before the ${what(d)}`, [d.due_on, d.contact_noticed_at, days]));
      }
    }
    if (problems.length) yield problems;
  }
}

/** Scheduled documents in the window: who will be left out for lack of consent, and who withdrew after being told. A page a document. */
async function* participantProblems({ conn: db, through }: CheckScope): AsyncGenerator<Found[]> {
  const docs = await scheduledDocuments(db, through);
  for (const doc of docs) {
    const { people } = await documentParticipants(db, doc.slug);
    const told = await creditNoticeTimes(db, doc.id);
    const problems: Found[] = [];
    for (const p of people.filter((x) => x.participant && !x.credited)) {
      // One literal a problem (docs/ARCHITECTURE.md, objects made a row at a time).
      const of = (code: ProblemCode, message: string, facts: unknown[]): Found => ({ disclosure: null, kind: 'credit', subject: p.email, organisation: p.organisation, document: doc.slug, due_on: doc.release_on!, person: p.personId, code, message, facts });
      if (p.consent === 'none') problems.push(of('participant-without-consent', `${p.email} takes part in ${doc.slug} (${p.how}) but has given no credit consent; ask before ${doc.release_on}`, [doc.release_on, p.consent]));
      else if (told.has(p.personId)) problems.push(of('consent-withdrawn-after-notice', `${p.email} was told of the credit in ${doc.slug} on ${told.get(p.personId)!.slice(0, 10)} and then withdrew (${p.consent}); they will not be credited`, [told.get(p.personId), p.consent]));
    }
    if (problems.length) yield problems;
  }
}

/** The rules the check runs, in order; a new rule is one more generator here. */
const RULES = [disclosureProblems, participantProblems];

/** The stable id of a problem. */
function problemId(f: Found): string {
  return f.disclosure !== null ? `${f.code}:d${f.disclosure}` : `${f.code}:${f.document}:p${f.person}`;
}

/** The check's window: through today + `within` days (default notice-days). */
export async function checkWindow(db: Kysely<Database>, today: string, within?: number): Promise<{ within: number; noticeDays: number; through: string }> {
  const noticeDays = Number(await getSetting(db, 'notice-days'));
  const window = within ?? noticeDays;
  return { within: window, noticeDays, through: addDays(today, window) };
}

/**
 * P9: for every planned disclosure due within the window (or overdue), is every person
 * concerned told at least `notice-days` before, and did the mail arrive? Also participants who
 * will be left out for lack of consent (so staff can ask) and consents withdrawn after a notice.
 * Each problem carries its acknowledgement, if staff accepted it with these very facts. Yielded
 * as found, a page at a time (those of a page of planned disclosures, of the lawful ones made, or
 * of a document's participants), soonest due first within each rule, so a check of any size
 * prints as it goes. Run refreshDisclosures first.
 */
export async function* streamDisclosureProblems(db: Db, window: { noticeDays: number; through: string }, o: { fingerprints?: boolean; conn?: Kysely<Database>; tally?: CheckTally; strict?: boolean } = {}): AsyncGenerator<Array<FingerprintedProblem | DisclosureProblem>> {
  const conn = o.conn ?? db.kysely;
  const acks = await problemAcks(conn);
  const fingerprintOf = (f: Found) => createHash('sha256').update(JSON.stringify([f.code, f.subject, f.facts])).digest('hex').slice(0, 16);
  const problemOf = (f: Found): FingerprintedProblem | DisclosureProblem => {
    const id = problemId(f);
    const spec = PROBLEMS[f.code];
    const ack = acks.get(id);
    // The digest is worked out only where an acknowledgement could hold, or when asked (ack itself).
    const fingerprint = ack || o.fingerprints ? fingerprintOf(f) : undefined;
    const problem: DisclosureProblem = {
      id, code: f.code, severity: spec.severity, disclosure: f.disclosure, kind: f.kind, subject: f.subject, organisation: f.organisation, document: f.document, due_on: f.due_on,
      message: f.message, acknowledged: ack && ack.fingerprint === fingerprint ? { reason: ack.reason, actor: ack.actor, at: ack.at } : null,
    };
    if (o.tally) count(o.tally, problem, Boolean(o.strict));
    // Added to the problem, not spread into a copy with it (docs/ARCHITECTURE.md, objects made a row at a time).
    return o.fingerprints ? Object.assign(problem, { fingerprint: fingerprint! }) : problem;
  };
  for (const rule of RULES) {
    for await (const found of rule({ db, conn, days: window.noticeDays, through: window.through })) yield found.map(problemOf);
  }
}

/** The whole check at once, for the commands that act on it (a release, a publication, an acknowledgement). */
export async function checkDisclosures(db: Db, today: string, within?: number, o: { fingerprints?: boolean; conn?: Kysely<Database> } = {}): Promise<{ within: number; noticeDays: number; through: string; problems: FingerprintedProblem[] }> {
  const window = await checkWindow(o.conn ?? db.kysely, today, within);
  const problems: FingerprintedProblem[] = [];
  for await (const page of streamDisclosureProblems(db, window, o)) for (const p of page) problems.push(p as FingerprintedProblem);
  return { ...window, problems };
}

/** Pages of rows, then the rows `last` reads. */
async function* pagesThen<R>(pages: AsyncIterable<R[]>, last: () => Promise<R[]>): AsyncGenerator<R[]> {
  yield* pages;
  yield await last();
}

/** What a check found, counted as its problems go by. */
export interface CheckTally {
  all: number;
  errors: number;
  info: number;
  acknowledged: number;
  /** Problems that fail the check: errors nobody accepted; in a strict check, info too. */
  failing: number;
}

/** A tally with nothing counted yet. */
export function emptyTally(): CheckTally {
  return { all: 0, errors: 0, info: 0, acknowledged: 0, failing: 0 };
}

function count(tally: CheckTally, p: DisclosureProblem, strict: boolean): void {
  tally.all++;
  if (p.acknowledged) tally.acknowledged++;
  else if (p.severity === 'info') tally.info++;
  else tally.errors++;
  if (!p.acknowledged && (strict || p.severity === 'error')) tally.failing++;
}

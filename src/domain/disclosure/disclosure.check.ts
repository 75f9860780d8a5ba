import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { latestConsent } from '../consent/consent.repo.js';
import { documentParticipants } from '../document/document.participants.js';
import { unsettledDeliveries, type Delivery } from '../notice/notice.repo.js';
import { getSetting } from '../settings/settings.service.js';
import { addDays } from '../time.js';
import { selectDisclosures, selectLegalWithoutExemption, toDisclosureRow } from './disclosure.repo.js';
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
  /** The command that clears it. */
  clear: string;
  /** Set when staff reviewed and accepted it (disclosures ack), while its facts are unchanged. */
  acknowledged: { reason: string; actor: string; at: string } | null;
  /** A digest of the facts behind it: an acknowledgement holds while this stays the same. */
  fingerprint: string;
}

/** The people a release or publication would leave untold, from `disclosures check` problems. */
export function untoldIn(problems: DisclosureProblem[]): Uninformed[] {
  return problems.filter((p) => UNTOLD.includes(p.code)).map((p) => ({ disclosure: p.disclosure, who: p.subject ?? p.organisation ?? 'unknown' }));
}

type Found = Omit<DisclosureProblem, 'id' | 'severity' | 'clear' | 'acknowledged' | 'fingerprint'> & { person?: number; facts: unknown[] };

interface CheckScope {
  db: Kysely<Database>;
  days: number;
  through: string;
}

/** Problems of planned (and lawful, made) disclosures: was everyone concerned told, in time, and did the mail arrive? */
async function* disclosureProblems({ db, days, through }: CheckScope): AsyncGenerator<Found> {
  // Two indexed queries rather than one OR, which would scan every released disclosure.
  const planned = await selectDisclosures(db).where('x.state', '=', 'planned').where('x.due_on', '<=', through).execute();
  const rows = [...planned.map(toDisclosureRow), ...(await selectLegalWithoutExemption(db))];
  const unsettled = new Map<string, Delivery>((await unsettledDeliveries(db)).map((d) => [`${d.disclosure_id}:${d.person_id}`, d]));
  for (const d of rows) {
    const base = { disclosure: d.id, kind: d.kind, subject: d.email, organisation: d.organisation, document: d.document, due_on: d.due_on };
    const what = `${d.kind}${d.document ? ` in ${d.document}` : ''} due ${d.due_on}`;
    const informBy = addDays(d.due_on, -days);
    /** An untold person whose mail failed or may have arrived is its own problem. */
    const untold = (email: string, personId: number, code: 'subject-not-informed' | 'org-contact-not-informed', message: string): Found => {
      const delivery = unsettled.get(`${d.id}:${personId}`);
      if (delivery?.state === 'failed') return { ...base, subject: email, code: 'notice-failed', message: `the notice to ${email} of the ${what} was refused: ${delivery.reason}`, facts: [delivery.reason, delivery.address] };
      if (delivery?.state === 'uncertain') return { ...base, subject: email, code: 'notice-uncertain', message: `the notice to ${email} of the ${what} may not have arrived (a send stopped on ${delivery.updated_at.slice(0, 10)})`, facts: [delivery.updated_at] };
      return { ...base, subject: email, code, message, facts: [d.due_on] };
    };
    if (d.kind === 'legal') {
      if (!d.subject_noticed_at && !d.no_notice_reason) yield untold(d.email!, d.person_id!, 'subject-not-informed', `${d.email} was not told of the lawful disclosure to ${d.recipient}`);
      continue;
    }
    if (d.person_id !== null) {
      if (!d.subject_noticed_at) yield untold(d.email!, d.person_id, 'subject-not-informed', `${d.email} has not been told of the ${what} (inform by ${informBy})`);
      else if (d.subject_noticed_at.slice(0, 10) > informBy) yield { ...base, code: 'notice-too-late', message: `${d.email} was told on ${d.subject_noticed_at.slice(0, 10)}, fewer than ${days} days before the ${what}`, facts: [d.due_on, d.subject_noticed_at, days] };
      if (d.kind === 'announcement' && d.subject_noticed_at) {
        const c = await latestConsent(db, d.person_id, 'announcement', null);
        if (c?.action === 'withdraw' && c.at > d.subject_noticed_at) yield { ...base, code: 'consent-withdrawn-after-notice', message: `${d.email} withdrew the announcement consent on ${c.at.slice(0, 10)}, after being told; it will not be announced`, facts: [c.at] };
      }
    } else if (!d.contact_id) {
      yield { ...base, code: 'org-has-no-contact', message: `${d.organisation} has no contact person to tell of the ${what}`, facts: [d.due_on] };
    } else if (!d.contact_noticed_at) {
      yield untold(d.contact_email!, d.contact_id, 'org-contact-not-informed', `${d.contact_email}, contact of ${d.organisation}, has not been told of the ${what} (inform by ${informBy})`);
    } else if (d.contact_noticed_at.slice(0, 10) > informBy) {
      yield { ...base, subject: d.contact_email, code: 'notice-too-late', message: `${d.contact_email}, contact of ${d.organisation}, was told on ${d.contact_noticed_at.slice(0, 10)}, fewer than ${days} days before the ${what}`, facts: [d.due_on, d.contact_noticed_at, days] };
    }
  }
}

/** Scheduled documents in the window: who will be left out for lack of consent, and who withdrew after being told. */
async function* participantProblems({ db, through }: CheckScope): AsyncGenerator<Found> {
  const docs = await db.selectFrom('document').select(['id', 'slug', 'release_on']).where('status', '=', 'scheduled').where('release_on', '<=', through).orderBy('release_on').execute();
  for (const doc of docs) {
    const { people } = await documentParticipants(db, doc.slug);
    const told = new Map(
      (await db.selectFrom('notice as n').innerJoin('disclosure as x', 'x.id', 'n.disclosure_id').select(['n.person_id', 'n.at']).where('x.document_id', '=', doc.id).where('x.kind', '=', 'credit').where('n.role', '=', 'subject').execute()).map((n) => [Number(n.person_id), n.at]),
    );
    for (const p of people.filter((x) => x.participant && !x.credited)) {
      const base = { disclosure: null, kind: 'credit', subject: p.email, organisation: p.organisation, document: doc.slug, due_on: doc.release_on!, person: p.personId };
      if (p.consent === 'none') yield { ...base, code: 'participant-without-consent', message: `${p.email} takes part in ${doc.slug} (${p.how}) but has given no credit consent; ask before ${doc.release_on}`, facts: [doc.release_on, p.consent] };
      else if (told.has(p.personId)) yield { ...base, code: 'consent-withdrawn-after-notice', message: `${p.email} was told of the credit in ${doc.slug} on ${told.get(p.personId)!.slice(0, 10)} and then withdrew (${p.consent}); they will not be credited`, facts: [told.get(p.personId), p.consent] };
    }
  }
}

/** The rules the check runs, in order; a new rule is one more generator here. */
const RULES = [disclosureProblems, participantProblems];

/** The stable id of a problem. */
function problemId(f: Found): string {
  return f.disclosure !== null ? `${f.code}:d${f.disclosure}` : `${f.code}:${f.document}:p${f.person}`;
}

/**
 * P9: for every planned disclosure due within `within` days (or overdue), is every person
 * concerned told at least `notice-days` before, and did the mail arrive? Also participants who
 * will be left out for lack of consent (so staff can ask) and consents withdrawn after a notice.
 * Each problem carries its acknowledgement, if staff accepted it with these very facts. Run
 * refreshDisclosures first.
 */
export async function checkDisclosures(db: Kysely<Database>, today: string, within?: number): Promise<{ within: number; noticeDays: number; through: string; problems: DisclosureProblem[] }> {
  const days = Number(await getSetting(db, 'notice-days'));
  const window = within ?? days;
  const through = addDays(today, window);
  const acks = new Map((await db.selectFrom('problem_ack').selectAll().execute()).map((a) => [a.problem_id, a]));
  const problems: DisclosureProblem[] = [];
  for (const rule of RULES) {
    for await (const f of rule({ db, days, through })) {
      const { facts, person: _person, ...shown } = f;
      const id = problemId(f);
      const fingerprint = createHash('sha256').update(JSON.stringify([f.code, f.subject, facts])).digest('hex').slice(0, 16);
      const ack = acks.get(id);
      const spec = PROBLEMS[f.code];
      problems.push({ id, ...shown, severity: spec.severity, clear: spec.clear, acknowledged: ack && ack.fingerprint === fingerprint ? { reason: ack.reason, actor: ack.actor, at: ack.at } : null, fingerprint });
    }
  }
  return { within: window, noticeDays: days, through, problems };
}

/** Whether the check fails: an error nobody accepted; with `strict`, an info too. */
export function failing(problems: DisclosureProblem[], strict: boolean): DisclosureProblem[] {
  return problems.filter((p) => !p.acknowledged && (strict || p.severity === 'error'));
}

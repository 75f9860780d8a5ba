import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { consentHistory, type ConsentEventRow } from '../consent/consent.repo.js';
import { currentStates } from '../consent/consent.service.js';
import { findPersonByEmail } from './member.repo.js';
import { activityEventsOf, disclosuresOfPerson, monthlyActivityOf, newsletterExportRecords, noticesOfPerson, reportedOrganisationOf } from './member.report.repo.js';

/** Periods during which the blanket newsletter consent was granted: [from, to) with to null if still granted. */
export function subscribedPeriods(history: ConsentEventRow[]): Array<{ from: string; to: string | null }> {
  const periods: Array<{ from: string; to: string | null }> = [];
  for (const e of history.filter((h) => h.purpose === 'newsletter' && h.document === null)) {
    const open = periods.at(-1);
    if (e.action === 'grant' && (!open || open.to !== null)) periods.push({ from: e.at, to: null });
    else if (e.action === 'withdraw' && open && open.to === null) open.to = e.at;
  }
  return periods;
}

/**
 * Everything consort holds about one person (subject access): the record and
 * organisation, every consent event, activity (summarised per document and month,
 * or every event), every disclosure that included them, every notice, and the
 * exports they were in. Audited.
 */
export async function personReport(db: Db, stamp: Stamp, email: string, opts: { full?: boolean } = {}) {
  return inTransaction(db, async (trx) => {
    const person = await findPersonByEmail(trx, email);
    if (!person) throw new NotFoundError(`no person with email ${email}`, { key: 'find-person' });
    const id = person.id;
    const organisation = await reportedOrganisationOf(trx, id);
    const history = await consentHistory(trx, id);
    const activity = opts.full ? await activityEventsOf(trx, id) : await monthlyActivityOf(trx, id);
    const disclosures = await disclosuresOfPerson(trx, id);
    const notices = await noticesOfPerson(trx, id);
    const periods = subscribedPeriods(history);
    const newsletterExports = (await newsletterExportRecords(trx)).filter((e) => periods.some((p) => e.at >= p.from && (p.to === null || e.at < p.to)));
    await appendAuditEntry(trx, { ...stamp, summary: `report of everything held about person #${id}${opts.full ? ' (full activity)' : ''}` });
    return {
      generated_at: stamp.at,
      person: { name: person.name, email: person.email, status: person.status, source: person.source, created_at: person.created_at, updated_at: person.updated_at },
      organisation: organisation ? { name: organisation.name, domain: organisation.domain, membership: organisation.membership, joined_on: organisation.joined_on, contact_person: Boolean(organisation.is_contact) } : null,
      consents: { current: currentStates(history), history },
      activity: { summary: !opts.full, events: activity },
      disclosures,
      notices,
      exports: {
        disclosures: disclosures.filter((d) => d.state === 'released').map((d) => ({ disclosure: d.id, kind: d.kind, to: d.recipient ?? d.audience, at: d.released_at, facts: Object.keys(d.facts) })),
        newsletter: { subscribed: periods, exports: newsletterExports },
      },
    };
  });
}

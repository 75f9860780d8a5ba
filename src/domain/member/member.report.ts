import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { consentHistory, type ConsentEventRow } from '../consent/consent.repo.js';
import { currentStates } from '../consent/consent.service.js';
import { findPersonByEmail } from './member.repo.js';

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
    const organisation = await trx
      .selectFrom('person as p')
      .innerJoin('organisation as o', 'o.id', 'p.organisation_id')
      .select(['o.name', 'o.domain', 'o.membership', 'o.joined_on', sql<boolean>`o.contact_person_id = p.id`.as('is_contact')])
      .where('p.id', '=', id)
      .executeTakeFirst();
    const history = await consentHistory(trx, id);
    const activityQuery = trx.selectFrom('activity as a').leftJoin('document as d', 'd.id', 'a.document_id').where('a.person_id', '=', id);
    const activity = opts.full
      ? (await activityQuery.select(['a.at', 'a.action', 'd.slug as document', 'a.detail']).orderBy('a.at').orderBy('a.id').execute()).map((a) => ({ ...a, detail: a.detail === null ? null : JSON.parse(a.detail) }))
      : (
          await activityQuery
            .select([sql<string>`substr(a.at, 1, 7)`.as('month'), 'd.slug as document', (eb) => eb.fn.countAll<number>().as('events')])
            .groupBy([sql`substr(a.at, 1, 7)`, 'd.slug'])
            .orderBy(sql`substr(a.at, 1, 7)`)
            // Activity on no document first, on both engines (PostgreSQL sorts NULL last by itself).
            .orderBy(sql`d.slug is not null`)
            .orderBy('d.slug')
            .execute()
        ).map((r) => ({ ...r, events: Number(r.events) }));
    const disclosures = (
      await trx
        .selectFrom('disclosure as x')
        .leftJoin('document as d', 'd.id', 'x.document_id')
        .select(['x.id', 'x.kind', 'x.state', 'x.audience', 'x.recipient', 'x.basis', 'x.due_on', 'x.released_at', 'x.cancelled_at', 'x.facts', 'x.no_notice_reason', 'd.slug as document', 'x.edition'])
        .where('x.person_id', '=', id)
        .orderBy('x.id')
        .execute()
    ).map((d) => ({ ...d, id: Number(d.id), facts: JSON.parse(d.facts) }));
    const notices = (
      await trx.selectFrom('notice').select(['disclosure_id as disclosure', 'role', 'channel', 'at']).where('person_id', '=', id).orderBy('at').execute()
    ).map((n) => ({ ...n, disclosure: Number(n.disclosure) }));
    const periods = subscribedPeriods(history);
    const newsletterExports = (await trx.selectFrom('export_record').select(['id', 'at', 'destination', 'sha256']).where('kind', '=', 'newsletter').orderBy('at').execute())
      .filter((e) => periods.some((p) => e.at >= p.from && (p.to === null || e.at < p.to)))
      .map((e) => ({ ...e, id: Number(e.id) }));
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

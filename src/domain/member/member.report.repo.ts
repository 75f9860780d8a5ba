import { sql, type Kysely } from 'kysely';
import type { Audience, Database, DisclosureKind, DisclosureState } from '../../db/schema/index.js';

/** A person's organisation as a subject access report shows it, and whether they are its contact. */
export async function reportedOrganisationOf(trx: Kysely<Database>, personId: number): Promise<{ name: string; domain: string | null; membership: 'member' | 'non-member'; joined_on: string | null; is_contact: boolean } | undefined> {
  return trx
    .selectFrom('person as p')
    .innerJoin('organisation as o', 'o.id', 'p.organisation_id')
    .select(['o.name', 'o.domain', 'o.membership', 'o.joined_on', sql<boolean>`o.contact_person_id = p.id`.as('is_contact')])
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** A person's activity with each event's document. */
function activityWithDocument(trx: Kysely<Database>, personId: number) {
  return trx.selectFrom('activity as a').leftJoin('document as d', 'd.id', 'a.document_id').where('a.person_id', '=', personId);
}

/** Every activity event of a person, in time order, detail parsed back from its JSON text. */
export async function activityEventsOf(trx: Kysely<Database>, personId: number): Promise<Array<{ at: string; action: string; document: string | null; detail: unknown }>> {
  return (await activityWithDocument(trx, personId).select(['a.at', 'a.action', 'd.slug as document', 'a.detail']).orderBy('a.at').orderBy('a.id').execute()).map((a) => ({ ...a, detail: a.detail === null ? null : JSON.parse(a.detail) }));
}

/** A person's activity counted per month and document, by month, then activity on no document first, then by document. */
export async function monthlyActivityOf(trx: Kysely<Database>, personId: number): Promise<Array<{ month: string; document: string | null; events: number }>> {
  return (
    await activityWithDocument(trx, personId)
      .select([sql<string>`substr(a.at, 1, 7)`.as('month'), 'd.slug as document', (eb) => eb.fn.countAll<number>().as('events')])
      .groupBy([sql`substr(a.at, 1, 7)`, 'd.slug'])
      .orderBy(sql`substr(a.at, 1, 7)`)
      // Activity on no document first, on both engines (PostgreSQL sorts NULL last by itself).
      .orderBy(sql`d.slug is not null`)
      .orderBy('d.slug')
      .execute()
  ).map((r) => ({ ...r, events: Number(r.events) }));
}

/** A disclosure that included a person, as their report shows it. */
export interface ReportedDisclosure {
  id: number;
  kind: DisclosureKind;
  state: DisclosureState;
  audience: Audience;
  recipient: string | null;
  basis: string | null;
  due_on: string;
  released_at: string | null;
  cancelled_at: string | null;
  facts: Record<string, unknown>;
  no_notice_reason: string | null;
  document: string | null;
  edition: number | null;
}

/** Every disclosure of a person, in order of planning, facts parsed back from their JSON text. */
export async function disclosuresOfPerson(trx: Kysely<Database>, personId: number): Promise<ReportedDisclosure[]> {
  return (
    await trx
      .selectFrom('disclosure as x')
      .leftJoin('document as d', 'd.id', 'x.document_id')
      .select(['x.id', 'x.kind', 'x.state', 'x.audience', 'x.recipient', 'x.basis', 'x.due_on', 'x.released_at', 'x.cancelled_at', 'x.facts', 'x.no_notice_reason', 'd.slug as document', 'x.edition'])
      .where('x.person_id', '=', personId)
      .orderBy('x.id')
      .execute()
  ).map((d) => ({ ...d, id: Number(d.id), facts: JSON.parse(d.facts) }));
}

/** Every notice given to a person, in time order. */
export async function noticesOfPerson(trx: Kysely<Database>, personId: number): Promise<Array<{ disclosure: number; role: 'subject' | 'organisation-contact'; channel: string; at: string }>> {
  return (await trx.selectFrom('notice').select(['disclosure_id as disclosure', 'role', 'channel', 'at']).where('person_id', '=', personId).orderBy('at').execute()).map((n) => ({ ...n, disclosure: Number(n.disclosure) }));
}

/** Every newsletter export recorded, in time order. */
export async function newsletterExportRecords(trx: Kysely<Database>): Promise<Array<{ id: number; at: string; destination: string | null; sha256: string }>> {
  return (await trx.selectFrom('export_record').select(['id', 'at', 'destination', 'sha256']).where('kind', '=', 'newsletter').orderBy('at').execute()).map((e) => ({ ...e, id: Number(e.id) }));
}

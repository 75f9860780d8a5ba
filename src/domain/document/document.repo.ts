import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import type { CandidateFacts } from './document.rules.js';

export function findDocument(db: Kysely<Database>, slug: string) {
  return db.selectFrom('document').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/**
 * Everyone with activity on the document or a hand-made change, with counts and
 * credit consents; with `minActivities`, only those with at least that many
 * activities or changed by hand (what releases and checks need, read from the
 * maintained participation counts).
 */
export async function selectCandidates(db: Kysely<Database>, documentId: number, minActivities = 0): Promise<CandidateFacts[]> {
  const { rows } = await sql<Record<string, unknown>>`
    with counts as (select person_id, activities as n from participation where document_id = ${documentId} and activities >= ${minActivities}),
         overrides as (select person_id, kind from participant_override where document_id = ${documentId}),
         candidates as (select person_id from counts union select person_id from overrides)
    select p.id as "personId", p.name, p.email, p.status, p.organisation_id as "organisationId", o.name as organisation,
           coalesce(c.n, 0) as activities, ov.kind as override,
           (select e.action from consent_event e where e.person_id = p.id and e.purpose = 'credit' and e.document_id = ${documentId}
             order by e.at desc, e.id desc limit 1) as "documentConsent",
           (select e.action from consent_event e where e.person_id = p.id and e.purpose = 'credit' and e.document_id is null
             order by e.at desc, e.id desc limit 1) as "blanketConsent"
    from candidates x
    join person p on p.id = x.person_id
    left join organisation o on o.id = p.organisation_id
    left join counts c on c.person_id = p.id
    left join overrides ov on ov.person_id = p.id
    order by p.id`.execute(db);
  return rows.map((r) => ({ ...(r as unknown as CandidateFacts), personId: Number(r.personId), organisationId: r.organisationId === null ? null : Number(r.organisationId), activities: Number(r.activities) }));
}

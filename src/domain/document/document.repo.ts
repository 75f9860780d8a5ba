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

/** Every document, by slug. */
export function allDocuments(db: Kysely<Database>) {
  return db.selectFrom('document').selectAll().orderBy('slug').execute();
}

/** Every document's slug, in order (shell completion). */
export async function listDocumentSlugs(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('document').select('slug').orderBy('slug').execute()).map((r) => r.slug);
}

/** Writes a new document. */
export async function insertDocument(db: Kysely<Database>, d: { slug: string; title: string; releaseOn: string | null; at: string }): Promise<void> {
  await db.insertInto('document').values({ slug: d.slug, title: d.title, status: d.releaseOn ? 'scheduled' : 'draft', release_on: d.releaseOn, released_at: null, created_at: d.at, updated_at: d.at }).execute();
}

/** Schedules a document for a date. */
export async function setDocumentSchedule(db: Kysely<Database>, documentId: number, on: string, at: string): Promise<void> {
  await db.updateTable('document').set({ status: 'scheduled', release_on: on, updated_at: at }).where('id', '=', documentId).execute();
}

/** Marks a document released, as an edition. */
export async function setDocumentReleased(db: Kysely<Database>, documentId: number, edition: number, at: string): Promise<void> {
  await db.updateTable('document').set({ status: 'released', released_at: at, edition, updated_at: at }).where('id', '=', documentId).execute();
}

/** Records (or changes) a participant added or removed by hand. */
export async function upsertParticipantOverride(db: Kysely<Database>, o: { document_id: number; person_id: number; kind: 'added' | 'removed'; at: string; actor: string }): Promise<void> {
  await db.insertInto('participant_override').values(o).onConflict((oc) => oc.columns(['document_id', 'person_id']).doUpdateSet({ kind: o.kind, at: o.at, actor: o.actor })).execute();
}

/** The people an edition of a document credited (its released credit disclosures). */
export async function creditedIn(db: Kysely<Database>, documentId: number, edition: number): Promise<number[]> {
  const rows = await db.selectFrom('disclosure').select('person_id').where('document_id', '=', documentId).where('kind', '=', 'credit').where('state', '=', 'released').where('edition', '=', edition).execute();
  return rows.map((d) => Number(d.person_id));
}

/** Which of these disclosures their subject was told of. */
export async function toldOf(db: Kysely<Database>, disclosureIds: number[]): Promise<Set<number>> {
  if (!disclosureIds.length) return new Set();
  const rows = await db.selectFrom('notice').select('disclosure_id').where('disclosure_id', 'in', disclosureIds).where('role', '=', 'subject').execute();
  return new Set(rows.map((n) => Number(n.disclosure_id)));
}

/** A planned credit disclosure released as an edition, with exactly the facts released (P8). */
export async function releaseCredit(db: Kysely<Database>, id: number, r: { edition: number; facts: string; organisationId: number | null; at: string }): Promise<void> {
  await db.updateTable('disclosure').set({ state: 'released', edition: r.edition, facts: r.facts, organisation_id: r.organisationId, released_at: r.at }).where('id', '=', id).execute();
}

/** A credit released with no planned disclosure before it (a new edition's). */
export async function insertReleasedCredit(db: Kysely<Database>, c: { personId: number; organisationId: number | null; documentId: number; edition: number; dueOn: string; facts: string; at: string }): Promise<void> {
  await db
    .insertInto('disclosure')
    .values({ kind: 'credit', person_id: c.personId, organisation_id: c.organisationId, document_id: c.documentId, edition: c.edition, audience: 'public', recipient: null, basis: 'credit consent (P8)', due_on: c.dueOn, state: 'released', facts: c.facts, created_at: c.at, released_at: c.at, cancelled_at: null })
    .execute();
}

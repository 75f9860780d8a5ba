import type { Db } from '../../db/connection.js';
import { prepare } from '../../db/statements.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

/** A disclosure with its subject, organisation, document and notice state, as listed and checked. */
export interface DisclosureRow {
  id: number;
  kind: 'credit' | 'announcement' | 'directory' | 'legal';
  state: 'planned' | 'released' | 'cancelled';
  audience: string;
  due_on: string;
  person_id: number | null;
  email: string | null;
  name: string | null;
  organisation_id: number | null;
  organisation: string | null;
  /** The organisation's contact person, for organisation-level disclosures. */
  contact_id: number | null;
  contact_email: string | null;
  document: string | null;
  recipient: string | null;
  basis: string | null;
  facts: string;
  no_notice_reason: string | null;
  /** When the subject (or, organisation-level, the contact) was first informed; null if never. */
  subject_noticed_at: string | null;
  contact_noticed_at: string | null;
  released_at: string | null;
  cancelled_at: string | null;
}

/** Disclosures with everything a list or a check needs, oldest due first. */
export function selectDisclosures(db: Kysely<Database>) {
  return db
    .selectFrom('disclosure as x')
    .leftJoin('person as p', 'p.id', 'x.person_id')
    .leftJoin('organisation as o', 'o.id', 'x.organisation_id')
    .leftJoin('person as c', 'c.id', 'o.contact_person_id')
    .leftJoin('document as d', 'd.id', 'x.document_id')
    .select([
      'x.id', 'x.kind', 'x.state', 'x.audience', 'x.due_on', 'x.person_id', 'p.email', 'p.name', 'x.organisation_id', 'o.name as organisation',
      'o.contact_person_id as contact_id', 'c.email as contact_email', 'd.slug as document', 'x.recipient', 'x.basis', 'x.facts', 'x.no_notice_reason',
      'x.released_at', 'x.cancelled_at',
      sql<string | null>`(select min(n.at) from notice n where n.disclosure_id = x.id and n.role = 'subject')`.as('subject_noticed_at'),
      sql<string | null>`(select min(n.at) from notice n where n.disclosure_id = x.id and n.role = 'organisation-contact')`.as('contact_noticed_at'),
    ])
    .orderBy('x.due_on')
    .orderBy('x.id');
}

export const toDisclosureRow = (r: any): DisclosureRow => ({
  ...r,
  id: Number(r.id),
  person_id: r.person_id === null ? null : Number(r.person_id),
  organisation_id: r.organisation_id === null ? null : Number(r.organisation_id),
  contact_id: r.contact_id === null ? null : Number(r.contact_id),
});

/**
 * Released lawful disclosures whose subject is to be told (no reason recorded for not telling),
 * oldest due first. Sorted here rather than by SQL: asked to sort by due date, SQLite walks the
 * (state, due_on) index through every released disclosure (0.5 s at 1M members) instead of
 * finding the few legal ones by (kind, state).
 */
export async function selectLegalWithoutExemption(db: Kysely<Database>): Promise<DisclosureRow[]> {
  const rows = await selectDisclosures(db).clearOrderBy().where('x.kind', '=', 'legal').where('x.state', '=', 'released').where('x.no_notice_reason', 'is', null).execute();
  return rows.map(toDisclosureRow).sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : a.id - b.id));
}

/**
 * Prepared statements that plan what membership brings (P6, P7) for one new member: a planned
 * public announcement, and the members' directory relay, released at once with its notice by
 * the membership terms. (The bulk member import writes the same rows through a RowWriter.)
 */
export function membershipStatements(db: Db, conn: Kysely<Database>) {
  const disclosure = prepare(
    db,
    conn,
    "insert into disclosure (kind, person_id, organisation_id, audience, basis, due_on, state, facts, created_at, released_at) values (?, ?, ?, ?, 'membership terms (P6, P7)', ?, ?, ?, ?, ?)",
    { returnsId: true },
  );
  const notice = prepare(db, conn, "insert into notice (disclosure_id, person_id, role, channel, at, actor, recorded_at) values (?, ?, 'subject', 'membership-terms', ?, ?, ?)");
  return {
    /** Plans the announcement and, unless told not to (directory consent withdrawn), records the directory relay of a new member. */
    async plan(personId: number, organisationId: number | null, facts: { name: string; email: string; organisation: string | null }, at: string, announceOn: string, actor: string, relay: { directory: boolean }) {
      await disclosure.run('announcement', personId, organisationId, 'public', announceOn, 'planned', JSON.stringify({ name: facts.name, organisation: facts.organisation }), at, null);
      if (!relay.directory) return;
      const dir = await disclosure.run('directory', personId, organisationId, 'members', at.slice(0, 10), 'released', JSON.stringify(facts), at, at);
      await notice.run(dir.id, personId, at, actor, at);
    },
  };
}

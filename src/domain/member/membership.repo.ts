import { sql, type Kysely } from 'kysely';
import { reserveIds, type BulkColumn } from '../../db/bulk.js';
import type { Database } from '../../db/schema/index.js';
import type { Db } from '../../db/connection.js';

type Dialect = Db['dialect'];

/**
 * The staging table of what membership brings: for the member import, one row for each new
 * person of the file, as the import checked it, with the ids it handed out (written from it by
 * writeStagedPeople); for member add and update, the one person made a member (planMembershipOf).
 * The same statements on either engine: one encoding of the rules.
 */
export const STAGE = 'import_person';

/** The staging table's columns, in the order a staged row gives them. */
export const STAGE_COLUMNS: readonly BulkColumn[] = [
  ['id', 'bigint'],
  ['name', 'text'],
  ['email', 'text'],
  ['email_key', 'text'],
  ['organisation_id', 'bigint'],
  ['status', 'text'],
  ['newsletter', 'integer'],
  ['line', 'integer'],
  ['announcement_id', 'bigint'],
  ['directory_id', 'bigint'],
  ['announcement_facts', 'text'],
  ['directory_facts', 'text'],
];

/**
 * Empties the stage: on PostgreSQL by truncating it (a temporary table is never vacuumed, so the
 * rows a delete leaves dead would be read again by every later batch's statements).
 */
function emptyStage(conn: Kysely<Database>, dialect: Dialect) {
  return sql.raw(dialect === 'postgres' ? `truncate ${STAGE}` : `delete from ${STAGE}`).execute(conn);
}

/** Creates the (temporary, per connection) staging table if need be, and empties it. */
export async function createStage(conn: Kysely<Database>, dialect: Dialect): Promise<void> {
  await sql
    .raw(
      `create temp table if not exists ${STAGE} (id bigint not null, name text not null, email text not null, email_key text not null, organisation_id bigint, status text not null,
       newsletter integer, line integer not null, announcement_id bigint, directory_id bigint, announcement_facts text, directory_facts text)`,
    )
    .execute(conn);
  await emptyStage(conn, dialect);
}

/** What every row a staged person brings is stamped with. */
export interface StageContext {
  at: string;
  actor: string;
  /** The person's `source`, and the start of each consent's evidence (`<source name> line N`). */
  source: string;
  input: string;
  announceOn: string;
  policy: string | null;
}

/**
 * Writes what the staged people bring, set-based, and empties the stage. For everyone, the
 * person. For a member, what membership brings (planStagedMemberships), and the newsletter and
 * directory consents by the membership terms (P6), with the newsletter withdrawn again when the
 * row says `newsletter=no`. For a contact, the newsletter consent only when the row asks for it
 * (P2). Each person's consents are written in that order, so the latest of a withdrawn
 * newsletter is the withdrawal.
 */
export async function writeStagedPeople(conn: Kysely<Database>, dialect: Dialect, c: StageContext): Promise<void> {
  const at = text(c.at);
  const evidence = sql`${text(c.input)} || ' line ' || s.line`;
  await sql`insert into person (id, name, email, email_key, organisation_id, status, source, created_at, updated_at)
    select s.id, s.name, s.email, s.email_key, s.organisation_id, s.status, ${text(c.source)}, ${at}, ${at} from ${sql.table(STAGE)} s order by s.id`.execute(conn);
  await planStagedMemberships(conn, c);
  await sql`insert into consent_event (person_id, purpose, document_id, action, at, basis, evidence, actor, policy_version, recorded_at)
    select r.person_id, r.purpose, null, r.action, ${at}, r.basis, r.evidence, ${text(c.actor)}, ${text(c.policy)}, ${at} from (
      select s.id as person_id, 1 as k, 'newsletter' as purpose, 'grant' as action, 'membership-terms' as basis, ${evidence} as evidence from ${sql.table(STAGE)} s where s.status = 'member'
      union all
      select s.id, 2, 'directory', 'grant', 'membership-terms', ${evidence} from ${sql.table(STAGE)} s where s.status = 'member'
      union all
      select s.id, 3, 'newsletter', 'withdraw', 'import', ${evidence} || ': newsletter=no' from ${sql.table(STAGE)} s where s.status = 'member' and s.newsletter = 0
      union all
      select s.id, 4, 'newsletter', 'grant', 'import', ${evidence} || ': newsletter=yes' from ${sql.table(STAGE)} s where s.status <> 'member' and s.newsletter = 1
    ) r order by r.person_id, r.k`.execute(conn);
  await emptyStage(conn, dialect);
}

/** A text parameter, typed as text for PostgreSQL (an untyped parameter in a select list is unknown). */
const text = (v: string | null) => sql`cast(${v} as text)`;

/**
 * What membership brings a staged member (P6, P7, P9), set-based: the public announcement
 * planned for `announceOn`, so the member can be told first; and, where the stage gives it an id,
 * the members' directory relay, released at once with its notice by the membership terms. (A
 * member whose directory consent is withdrawn is given none: directory export does not list them.)
 * The import and `member add` (planMembership) both plan through it: one encoding of the rule.
 */
async function planStagedMemberships(conn: Kysely<Database>, c: Pick<StageContext, 'at' | 'actor' | 'announceOn'>): Promise<void> {
  const [at, basis] = [text(c.at), text('membership terms (P6, P7)')];
  await sql`insert into disclosure (id, kind, person_id, organisation_id, audience, basis, due_on, state, facts, created_at, released_at)
    select * from (
      select s.announcement_id as id, 'announcement' as kind, s.id as person_id, s.organisation_id, 'public' as audience, ${basis} as basis, ${text(c.announceOn)} as due_on,
        'planned' as state, s.announcement_facts as facts, ${at} as created_at, ${text(null)} as released_at from ${sql.table(STAGE)} s where s.status = 'member'
      union all
      select s.directory_id, 'directory', s.id, s.organisation_id, 'members', ${basis}, ${text(c.at.slice(0, 10))}, 'released', s.directory_facts, ${at}, ${at} from ${sql.table(STAGE)} s
        where s.status = 'member' and s.directory_id is not null
    ) r order by id`.execute(conn);
  await sql`insert into notice (disclosure_id, person_id, role, channel, at, actor, recorded_at)
    select s.directory_id, s.id, 'subject', 'membership-terms', ${at}, ${text(c.actor)}, ${at} from ${sql.table(STAGE)} s
    where s.status = 'member' and s.directory_id is not null order by s.directory_id`.execute(conn);
}

/** The facts a member's announcement and directory relay disclose, as JSON: the announcement names no address. */
export function membershipFacts(name: string, email: string, organisation: string | null): { announcement: string; directory: string } {
  return { announcement: JSON.stringify({ name, organisation }), directory: JSON.stringify({ name, email, organisation }) };
}

/** An existing member, as planMembership stages them: the directory relay only if `directory`. */
export interface MemberToPlan {
  personId: number;
  name: string;
  email: string;
  emailKey: string;
  organisationId: number | null;
  organisation: string | null;
  directory: boolean;
}

/**
 * Plans what membership brings one person already written (`member add`, or a contact made a
 * member): staged as the import stages a new member, with disclosure ids taken up front, and
 * planned by the same statements.
 */
export async function planMembershipOf(db: Db, conn: Kysely<Database>, c: Pick<StageContext, 'at' | 'actor' | 'announceOn'>, m: MemberToPlan): Promise<void> {
  await createStage(conn, db.dialect);
  const [announcementId, directoryId] = await reserveIds(db, conn, 'disclosure', m.directory ? 2 : 1);
  const facts = membershipFacts(m.name, m.email, m.organisation);
  await sql`insert into ${sql.table(STAGE)} (id, name, email, email_key, organisation_id, status, newsletter, line, announcement_id, directory_id, announcement_facts, directory_facts)
    values (${m.personId}, ${m.name}, ${m.email}, ${m.emailKey}, ${m.organisationId}, 'member', null, 0, ${announcementId}, ${directoryId ?? null}, ${facts.announcement}, ${m.directory ? facts.directory : null})`.execute(conn);
  await planStagedMemberships(conn, c);
  await emptyStage(conn, db.dialect);
}

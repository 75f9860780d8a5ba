import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

/** Finds an organisation by name, case-insensitively. */
export function findOrgByName(db: Kysely<Database>, name: string) {
  return db.selectFrom('organisation').selectAll().where('name_key', '=', orgKey(name)).executeTakeFirst();
}

export function orgKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** Adds an organisation; returns its id. */
export async function insertOrg(db: Kysely<Database>, row: { name: string; name_key: string; domain: string | null; membership: 'member' | 'non-member'; joined_on: string | null; contact_person_id: number | null; created_at: string; updated_at: string }): Promise<number> {
  return Number((await db.insertInto('organisation').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

/** Changes an organisation's columns. */
export async function updateOrgRow(db: Kysely<Database>, id: number, values: Record<string, unknown>): Promise<void> {
  await db.updateTable('organisation').set(values).where('id', '=', id).execute();
}

/** An organisation as shown and exported. */
export interface Organisation {
  id: number;
  name: string;
  domain: string | null;
  membership: 'member' | 'non-member';
  joined_on: string | null;
  contact: string | null;
  members: number;
  people: number;
  created_at: string;
  updated_at: string;
}

/** Organisations with their contact's email and head counts, by name. */
function selectOrgs(db: Kysely<Database>) {
  return db
    .selectFrom('organisation as o')
    .leftJoin('person as c', 'c.id', 'o.contact_person_id')
    .select((eb) => [
      'o.id',
      'o.name',
      'o.domain',
      'o.membership',
      'o.joined_on',
      'c.email as contact',
      'o.created_at',
      'o.updated_at',
      eb.selectFrom('person as p').whereRef('p.organisation_id', '=', 'o.id').where('p.status', '=', 'member').select((e) => e.fn.countAll<number>().as('n')).as('members'),
      eb.selectFrom('person as p').whereRef('p.organisation_id', '=', 'o.id').select((e) => e.fn.countAll<number>().as('n')).as('people'),
    ])
    .orderBy('o.name_key');
}

type OrgRow = Awaited<ReturnType<ReturnType<typeof selectOrgs>['executeTakeFirstOrThrow']>>;
const toOrg = (r: OrgRow): Organisation => ({ ...r, id: Number(r.id), members: Number(r.members), people: Number(r.people) });

/** Every organisation with its contact and head counts, by name; only those of one membership when given. */
export async function listOrgsWithCounts(db: Kysely<Database>, membership?: Organisation['membership']): Promise<Organisation[]> {
  let q = selectOrgs(db);
  if (membership !== undefined) q = q.where('o.membership', '=', membership);
  return (await q.execute()).map(toOrg);
}

/** The organisation with this id, with its contact and head counts; throws if there is none. */
export async function getOrgWithCounts(db: Kysely<Database>, id: number): Promise<Organisation> {
  return toOrg(await selectOrgs(db).where('o.id', '=', id).executeTakeFirstOrThrow());
}

/** The organisation of this name (case-insensitively), with its contact and head counts. */
export async function findOrgWithCountsByName(db: Kysely<Database>, name: string): Promise<Organisation | undefined> {
  const row = await selectOrgs(db).where('o.name_key', '=', orgKey(name)).executeTakeFirst();
  return row && toOrg(row);
}

/** Every organisation's name, in the order of the names (shell completion). */
export async function listOrgNames(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('organisation').select('name').orderBy('name').execute()).map((r) => r.name);
}

import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import { prepare, queryPages } from '../../db/statements.js';
import type { Database, PersonStatus } from '../../db/schema/index.js';
import { NotFoundError } from '../../errors.js';
import { emailKey } from '../shared/email.js';

/** A person as listed and shown. */
export interface PersonRow {
  id: number;
  name: string;
  email: string;
  status: PersonStatus;
  organisation: string | null;
  source: string | null;
  created_at: string;
  updated_at: string;
}

/** People with their organisation's name. */
export function selectPeople(db: Kysely<Database>) {
  return db
    .selectFrom('person as p')
    .leftJoin('organisation as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'p.email', 'p.status', 'o.name as organisation', 'p.source', 'p.created_at', 'p.updated_at']);
}

/** Which people to list, each left out to list all. */
export interface PeopleQuery {
  status?: PersonStatus;
  /** The organisation's name key (orgKey). */
  orgKey?: string;
  /** Text, lower-cased, to find in the name or the address key (matched as it is: no wildcards). */
  search?: string;
  limit?: number;
}

/**
 * The people not erased, in order of addition, filtered by status, organisation and text, a page
 * at a time (queryPages: one snapshot, and memory holds one page however many there are).
 */
export async function* peoplePagesNotErased(db: Db, f: PeopleQuery): AsyncGenerator<PersonRow[]> {
  let q = selectPeople(db.kysely).where('p.erased_at', 'is', null).orderBy('p.id');
  if (f.status) q = q.where('p.status', '=', f.status);
  if (f.orgKey !== undefined) q = q.where('o.name_key', '=', f.orgKey);
  if (f.search !== undefined) {
    const like = `%${f.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where(sql<boolean>`(lower(p.name) like ${like} escape '\\' or p.email_key like ${like} escape '\\')`);
  }
  if (f.limit !== undefined) q = q.limit(f.limit);
  // PostgreSQL's bigint ids arrive as strings: made numbers in place.
  for await (const page of queryPages<PersonRow>(db, q.compile())) yield page.map((r) => ((r.id = Number(r.id)), r));
}

/** PostgreSQL (the bulk paths): the people with these email keys, by key, in one query. */
export async function peopleByKey(db: Kysely<Database>, keys: Iterable<string>): Promise<Map<string, { id: number; status: PersonStatus }>> {
  const wanted = [...new Set(keys)].sort();
  const found = new Map<string, { id: number; status: PersonStatus }>();
  if (!wanted.length) return found;
  // One array parameter, each key looked up in the unique index: a thousand parameters (\`in (…)\`)
  // cost the server more to parse and plan than the lookup, and \`= any(array)\` scans the index
  // three times slower. A plain join of the keys lets the planner hash the whole person table for
  // a few thousand keys (a sequential scan of it a chunk: 190 ms at 500k people, against 40 ms
  // this way); the lateral lookup, with its \`limit 1\` (the key is unique), keeps it to the index,
  // and sorted keys walk it in order.
  const { rows } = await sql<{ id: number; status: PersonStatus; email_key: string }>`select p.id, p.status, p.email_key from unnest(${wanted}::text[]) as k (key)
    cross join lateral (select id, status, email_key from person where email_key = k.key limit 1) p`.execute(db);
  for (const r of rows) found.set(r.email_key, { id: Number(r.id), status: r.status });
  return found;
}

/** `#ID`: a person named by the id audit entries show (`person #5`). */
const PERSON_ID = /^#(\d{1,15})$/;

/**
 * The email of the person an argument names: an email as it is, or `#ID` looked up (the one
 * place both are understood, so every command that takes a person takes either).
 */
export async function personEmail(db: Db, ref: string): Promise<string> {
  const m = PERSON_ID.exec(ref.trim());
  if (!m) return ref;
  const row = await prepare<{ email: string }>(db, undefined, 'select email from person where id = ?').get(Number(m[1]));
  if (!row) throw new NotFoundError(`no person #${m[1]}`, 'see consort member list, or the ids in consort audit list');
  return row.email;
}

/** The id of the person with this address key, if any. */
export async function personIdByKey(db: Kysely<Database>, key: string): Promise<number | undefined> {
  const row = await db.selectFrom('person').select('id').where('email_key', '=', key).executeTakeFirst();
  return row && Number(row.id);
}

/** Adds a person; returns their id. */
export async function insertPerson(db: Kysely<Database>, row: { name: string; email: string; email_key: string; organisation_id: number | null; status: PersonStatus; source: string; created_at: string; updated_at: string }): Promise<number> {
  return Number((await db.insertInto('person').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

/** Changes a person's columns. */
export async function updatePersonRow(db: Kysely<Database>, id: number, values: Record<string, unknown>): Promise<void> {
  await db.updateTable('person').set(values).where('id', '=', id).execute();
}

/** The person with this id, with their organisation's name. */
export async function findPersonById(db: Kysely<Database>, id: number): Promise<PersonRow | undefined> {
  const r = await selectPeople(db).where('p.id', '=', id).executeTakeFirst();
  return r && { ...r, id: Number(r.id) };
}

/** The person with this email (any case), with their organisation's name. */
export async function findPersonByEmail(db: Kysely<Database>, email: string): Promise<PersonRow | undefined> {
  const r = await selectPeople(db).where('p.email_key', '=', emailKey(email)).executeTakeFirst();
  return r && { ...r, id: Number(r.id) };
}

/**
 * Prepared statements for the bulk import's lookups and updates, on either engine: Kysely's per-query compile
 * would cost several times the insert itself (STYLE rule 10).
 */
export function memberImportStatements(db: Db, conn: Kysely<Database>) {
  return {
    findPerson: prepare<{ id: number; status: PersonStatus }>(db, conn, 'select id, status from person where email_key = ?'),
    updatePerson: prepare(db, conn, 'update person set name = ?, organisation_id = coalesce(?, organisation_id), updated_at = ? where id = ?'),
    findOrg: prepare<{ id: number; name: string }>(db, conn, 'select id, name from organisation where name_key = ?'),
    insertOrg: prepare(
      db,
      conn,
      "insert into organisation (name, name_key, domain, membership, joined_on, contact_person_id, created_at, updated_at) values (?, ?, null, 'non-member', null, null, ?, ?)",
      { returnsId: true },
    ),
  };
}

/** When a person (who must exist) was erased; null if never. */
export async function erasedAtOf(db: Kysely<Database>, personId: number): Promise<string | null> {
  return (await db.selectFrom('person').select('erased_at').where('id', '=', personId).executeTakeFirstOrThrow()).erased_at;
}

/** The address key of a person who must exist (exit 5 naming the address otherwise). */
export async function requirePersonKey(db: Kysely<Database>, email: string, hint?: string): Promise<string> {
  const key = emailKey(email);
  if (!(await db.selectFrom('person').select('id').where('email_key', '=', key).executeTakeFirst())) throw new NotFoundError(`no person with email ${email}`, hint);
  return key;
}

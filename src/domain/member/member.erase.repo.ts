import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { findSettingValue } from '../settings/settings.repo.js';

/** The settings key of the salt of erased-address hashes. */
const SALT_KEY = 'erasure-salt';

/** The database's own salt for erased-address hashes, if anyone was ever erased. */
export function findErasureSalt(trx: Kysely<Database>): Promise<string | undefined> {
  return findSettingValue(trx, SALT_KEY);
}

/** Keeps a new salt for erased-address hashes. */
export async function insertErasureSalt(trx: Kysely<Database>, salt: string): Promise<void> {
  await trx.insertInto('settings').values({ key: SALT_KEY, value: salt }).execute();
}

/**
 * A lookup of whether a salted hash is an erased address's, made once: on SQLite a prepared
 * statement answered synchronously (the bulk import's hot path), on PostgreSQL a query on `conn`.
 */
export function erasedHashLookup(db: Db, conn: Kysely<Database>): (hash: string) => boolean | Promise<boolean> {
  if (db.dialect === 'sqlite') {
    const find = db.sqlite.prepare('select 1 from erased_email where hash = ?');
    return (hash) => Boolean(find.get(hash));
  }
  return async (hash) => Boolean(await conn.selectFrom('erased_email').select('hash').where('hash', '=', hash).executeTakeFirst());
}

/** Which of these salted hashes are erased addresses', in one query. */
export function erasedHashesAmong(conn: Kysely<Database>, hashes: string[]): Promise<Array<{ hash: string }>> {
  return conn.selectFrom('erased_email').select('hash').where('hash', 'in', hashes).execute();
}

/** The person an address names, with when they were erased (null if never). */
export async function personToErase(trx: Kysely<Database>, key: string): Promise<{ id: number; erased_at: string | null } | undefined> {
  const p = await trx.selectFrom('person').select(['id', 'erased_at']).where('email_key', '=', key).executeTakeFirst();
  return p && { id: Number(p.id), erased_at: p.erased_at };
}

/** Keeps the salted hash of an erased address (once). */
export async function keepErasedHash(trx: Kysely<Database>, hash: string, personId: number, at: string): Promise<void> {
  await trx.insertInto('erased_email').values({ hash, person_id: personId, erased_at: at }).onConflict((oc) => oc.column('hash').doNothing()).execute();
}

/** Cancels a person's planned disclosures; returns how many. */
export async function cancelPlannedDisclosures(trx: Kysely<Database>, personId: number, at: string): Promise<number> {
  const r = await trx.updateTable('disclosure').set({ state: 'cancelled', cancelled_at: at }).where('person_id', '=', personId).where('state', '=', 'planned').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Replaces the facts of each of a person's disclosures by their fingerprint (sha256) and field names: provable, naming nobody. */
export async function fingerprintDisclosures(trx: Kysely<Database>, personId: number): Promise<void> {
  for (const d of await trx.selectFrom('disclosure').select(['id', 'facts']).where('person_id', '=', personId).execute()) {
    const fields = Object.keys(JSON.parse(d.facts) as object);
    const erased = JSON.stringify({ erased_sha256: createHash('sha256').update(d.facts).digest('hex'), fields });
    await trx.updateTable('disclosure').set({ facts: erased }).where('id', '=', d.id).execute();
  }
}

/** A person's released disclosures: kind and audience. */
export async function releasedDisclosuresOf(trx: Kysely<Database>, personId: number): Promise<Array<{ kind: string; audience: string }>> {
  return trx.selectFrom('disclosure').select(['kind', 'audience']).where('person_id', '=', personId).where('state', '=', 'released').execute();
}

/**
 * Removes what is a person's and no evidence: activity, participation, overrides, what notice send
 * kept of their mail (the address it went to, and mail servers' replies, which may quote it), and
 * their place as an organisation's contact. Returns how many activities went.
 */
export async function removePersonalData(trx: Kysely<Database>, personId: number, at: string): Promise<number> {
  const activity = Number((await trx.deleteFrom('activity').where('person_id', '=', personId).executeTakeFirst()).numDeletedRows);
  await trx.deleteFrom('participation').where('person_id', '=', personId).execute();
  await trx.deleteFrom('participant_override').where('person_id', '=', personId).execute();
  await trx.deleteFrom('notice_delivery').where('person_id', '=', personId).execute();
  await trx.updateTable('notice').set({ reply: null }).where('person_id', '=', personId).execute();
  await trx.updateTable('organisation').set({ contact_person_id: null, updated_at: at }).where('contact_person_id', '=', personId).execute();
  return activity;
}

/** The person row as erasure leaves it: no name, a pseudonymous address, no organisation, former. */
export async function pseudonymisePerson(trx: Kysely<Database>, personId: number, pseudonym: string, at: string): Promise<void> {
  await trx.updateTable('person').set({ name: '(erased)', email: pseudonym, email_key: pseudonym, organisation_id: null, source: null, status: 'former', erased_at: at, updated_at: at }).where('id', '=', personId).execute();
}

import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { emptyWriteAheadLog, type Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { emailKey } from '../email.js';

const SALT_KEY = 'erasure-salt';

/** The database's own salt for erased-address hashes, if anyone was ever erased. */
export async function findErasureSalt(trx: Kysely<Database>): Promise<string | undefined> {
  return (await trx.selectFrom('settings').select('value').where('key', '=', SALT_KEY).executeTakeFirst())?.value;
}

/** The salt, made on first use (never exported). */
async function erasureSalt(trx: Kysely<Database>): Promise<string> {
  const existing = await findErasureSalt(trx);
  if (existing) return existing;
  const salt = randomBytes(32).toString('hex');
  await trx.insertInto('settings').values({ key: SALT_KEY, value: salt }).execute();
  return salt;
}

/** The salted hash kept for an erased address. */
export const erasedHash = (salt: string, key: string) => createHash('sha256').update(salt + '\0' + key).digest('hex');

/**
 * A test of whether an address (its key) belonged to someone erased, for adds and imports.
 * On SQLite it runs synchronously on a prepared statement (the bulk import's hot path).
 */
export async function erasedChecker(db: Db, trx: Kysely<Database>): Promise<(key: string) => boolean | Promise<boolean>> {
  const salt = await findErasureSalt(trx);
  if (!salt) return () => false;
  if (db.dialect === 'sqlite') {
    const find = db.sqlite.prepare('select 1 from erased_email where hash = ?');
    return (key) => Boolean(find.get(erasedHash(salt, key)));
  }
  return async (key) => Boolean(await trx.selectFrom('erased_email').select('hash').where('hash', '=', erasedHash(salt, key)).executeTakeFirst());
}

/** Refuses an erased address unless the caller says the person came back (exit 6). */
export async function assertNotErased(db: Db, trx: Kysely<Database>, key: string, allowErased?: boolean): Promise<void> {
  if (!allowErased && (await (await erasedChecker(db, trx))(key))) {
    throw new ConflictError('this address belonged to a person who was erased', 'if they came back of their own accord, pass --allow-erased');
  }
}

async function cancelPlanned(trx: Kysely<Database>, personId: number, at: string) {
  const r = await trx.updateTable('disclosure').set({ state: 'cancelled', cancelled_at: at }).where('person_id', '=', personId).where('state', '=', 'planned').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Erasure: removes name, email, organisation link and activity; keeps the consent
 * events, disclosures and notices as evidence under a pseudonym; keeps a salted
 * hash of the address; audits the erasure and its reason. Released public
 * disclosures are history: the result says how many cannot be recalled.
 */
export async function erasePerson(db: Db, stamp: Stamp, email: string, reason: string | undefined) {
  const result = await eraseInTransaction(db, stamp, email, reason);
  // secure_delete zeroes what the erasure freed, but the pages that held the person before may
  // still be in the write-ahead log: copy it into the file and empty it. Another connection
  // reading the database holds the log; what it holds then waits for the next checkpoint.
  return { ...result, log_kept: db.dialect === 'sqlite' && !emptyWriteAheadLog(db.sqlite) };
}


async function eraseInTransaction(db: Db, stamp: Stamp, email: string, reason: string | undefined) {
  const why = reason?.trim();
  if (!why) throw new UsageError('missing --reason', 'say why, e.g. --reason "request of 2026-03-01"');
  return inTransaction(db, async (trx) => {
    const key = emailKey(email);
    const person = await trx.selectFrom('person').select(['id', 'erased_at']).where('email_key', '=', key).executeTakeFirst();
    if (!person) throw new NotFoundError(`no person with email ${email}`);
    if (person.erased_at) throw new ConflictError(`this person was already erased on ${person.erased_at}`, 'an erasure is done once; its evidence stays as it is');
    const id = Number(person.id);
    const pseudonym = `erased-${id}-${randomBytes(4).toString('hex')}@erased.invalid`;
    await trx.insertInto('erased_email').values({ hash: erasedHash(await erasureSalt(trx), key), person_id: id, erased_at: stamp.at }).onConflict((oc) => oc.column('hash').doNothing()).execute();
    const cancelled = await cancelPlanned(trx, id, stamp.at);
    // What was disclosed stays provable without naming them: each disclosure's facts become their fingerprint.
    for (const d of await trx.selectFrom('disclosure').select(['id', 'facts']).where('person_id', '=', id).execute()) {
      const fields = Object.keys(JSON.parse(d.facts) as object);
      const erased = JSON.stringify({ erased_sha256: createHash('sha256').update(d.facts).digest('hex'), fields });
      await trx.updateTable('disclosure').set({ facts: erased }).where('id', '=', d.id).execute();
    }
    const released = await trx.selectFrom('disclosure').select(['kind', 'audience']).where('person_id', '=', id).where('state', '=', 'released').execute();
    const activity = Number((await trx.deleteFrom('activity').where('person_id', '=', id).executeTakeFirst()).numDeletedRows);
    await trx.deleteFrom('participation').where('person_id', '=', id).execute();
    await trx.deleteFrom('participant_override').where('person_id', '=', id).execute();
    // What notice send kept of their mail: the address it went to, and mail servers' replies, which may quote it.
    await trx.deleteFrom('notice_delivery').where('person_id', '=', id).execute();
    await trx.updateTable('notice').set({ reply: null }).where('person_id', '=', id).execute();
    await trx.updateTable('organisation').set({ contact_person_id: null, updated_at: stamp.at }).where('contact_person_id', '=', id).execute();
    await trx.updateTable('person').set({ name: '(erased)', email: pseudonym, email_key: pseudonym, organisation_id: null, source: null, status: 'former', erased_at: stamp.at, updated_at: stamp.at }).where('id', '=', id).execute();
    const unrecallable = released.filter((d) => d.audience !== 'members').length;
    await appendAuditEntry(trx, {
      ...stamp,
      command: 'erasure',
      summary: `erasure of person #${id}, now ${pseudonym}: ${activity} activities removed, ${cancelled} planned disclosures cancelled; ${unrecallable} released disclosures cannot be recalled; reason: ${why}`,
    });
    return { pseudonym, activity_removed: activity, planned_cancelled: cancelled, released_kept: released.length, cannot_recall: released.filter((d) => d.audience !== 'members').map((d) => d.kind) };
  });
}

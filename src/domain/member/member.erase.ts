import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { emptyWriteAheadLog, type Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { emailKey } from '../shared/email.js';
import { cancelPlannedDisclosures, erasedHashLookup, findErasureSalt, fingerprintDisclosures, insertErasureSalt, keepErasedHash, personToErase, pseudonymisePerson, releasedDisclosuresOf, removePersonalData } from './member.erase.repo.js';

/** The salt, made on first use (never exported). */
async function erasureSalt(trx: Kysely<Database>): Promise<string> {
  const existing = await findErasureSalt(trx);
  if (existing) return existing;
  const salt = randomBytes(32).toString('hex');
  await insertErasureSalt(trx, salt);
  return salt;
}

/** The salted hash kept for an erased address. */
export const erasedHash = (salt: string, key: string) => createHash('sha256').update(salt + '\0' + key).digest('hex');

/**
 * A test of whether an address (its key) belonged to someone erased, for adds and imports.
 * On SQLite it answers synchronously (the bulk import's hot path).
 */
export async function erasedChecker(db: Db, trx: Kysely<Database>): Promise<(key: string) => boolean | Promise<boolean>> {
  const salt = await findErasureSalt(trx);
  if (!salt) return () => false;
  const isErased = erasedHashLookup(db, trx);
  return (key) => isErased(erasedHash(salt, key));
}

/** Refuses an erased address unless the caller says the person came back (exit 6). */
export async function assertNotErased(db: Db, trx: Kysely<Database>, key: string, allowErased?: boolean): Promise<void> {
  if (!allowErased && (await (await erasedChecker(db, trx))(key))) {
    throw new ConflictError('this address belonged to a person who was erased', { key: 'allow-erased' });
  }
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
  if (!why) throw new UsageError('an erasure needs a reason', { key: 'erasure-reason' });
  return inTransaction(db, async (trx) => {
    const key = emailKey(email);
    const person = await personToErase(trx, key);
    if (!person) throw new NotFoundError(`no person with email ${email}`);
    if (person.erased_at) throw new ConflictError(`this person was already erased on ${person.erased_at}`, 'an erasure is done once; its evidence stays as it is');
    const id = person.id;
    const pseudonym = `erased-${id}-${randomBytes(4).toString('hex')}@erased.invalid`;
    await keepErasedHash(trx, erasedHash(await erasureSalt(trx), key), id, stamp.at);
    const cancelled = await cancelPlannedDisclosures(trx, id, stamp.at);
    // What was disclosed stays provable without naming them: each disclosure's facts become their fingerprint.
    await fingerprintDisclosures(trx, id);
    const released = await releasedDisclosuresOf(trx, id);
    const activity = await removePersonalData(trx, id, stamp.at);
    await pseudonymisePerson(trx, id, pseudonym, stamp.at);
    const unrecallable = released.filter((d) => d.audience !== 'members').length;
    await appendAuditEntry(trx, {
      ...stamp,
      command: 'erasure',
      summary: `erasure of person #${id}, now ${pseudonym}: ${activity} activities removed, ${cancelled} planned disclosures cancelled; ${unrecallable} released disclosures cannot be recalled; reason: ${why}`,
    });
    return { pseudonym, activity_removed: activity, planned_cancelled: cancelled, released_kept: released.length, cannot_recall: released.filter((d) => d.audience !== 'members').map((d) => d.kind) };
  });
}

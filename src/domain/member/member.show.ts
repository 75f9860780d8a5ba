import type { Db } from '../../db/connection.js';
import { NotFoundError } from '../../errors.js';
import { currentStates } from '../consent/consent.rules.js';
import { emailKey } from '../shared/email.js';
import { consentHistoryOf, personByEmailKey } from './member.show.repo.js';

/**
 * One person with their current consents, read on the raw handle: `member show` is
 * a start-up-bound command, and the query builder would cost more than the query.
 */
export async function showPersonFast(db: Db, email: string) {
  const person = await personByEmailKey(db, emailKey(email));
  if (!person) throw new NotFoundError(`no person with email ${email}`, { key: 'find-person' });
  return { ...person, consents: currentStates(await consentHistoryOf(db, person.id)) };
}

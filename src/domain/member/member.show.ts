import type { Db } from '../../db/connection.js';
import { NotFoundError } from '../../errors.js';
import { prepare } from '../../db/statements.js';
import type { ConsentEventRow } from '../consent/consent.repo.js';
import { currentStates } from '../consent/consent.rules.js';
import { emailKey } from '../shared/email.js';
import type { PersonRow } from './member.repo.js';

/**
 * One person with their current consents, read on the raw handle: `member show` is
 * a start-up-bound command, and the query builder would cost more than the query.
 */
export async function showPersonFast(db: Db, email: string) {
  const person = await prepare<PersonRow>(
    db,
    undefined,
    `select p.id, p.name, p.email, p.status, o.name as organisation, p.source, p.created_at, p.updated_at
     from person p left join organisation o on o.id = p.organisation_id where p.email_key = ?`,
  ).get(emailKey(email));
  if (!person) throw new NotFoundError(`no person with email ${email}`, { key: 'find-person' });
  const history = await prepare<ConsentEventRow>(
    db,
    undefined,
    `select c.id, c.purpose, d.slug as document, c.action, c.at, c.basis, c.evidence, c.actor, c.policy_version, c.recorded_at
     from consent_event c left join document d on d.id = c.document_id where c.person_id = ? order by c.at, c.id`,
  ).all(person.id);
  return { ...person, consents: currentStates(history) };
}

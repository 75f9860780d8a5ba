import type { Db } from '../../db/connection.js';
import { prepare } from '../../db/statements.js';
import type { ConsentEventRow } from '../consent/consent.repo.js';
import type { PersonRow } from './member.repo.js';

// On the raw handle, with no query builder: `member show` is a start-up-bound command, and
// loading Kysely would cost more than the query. So these two are apart from member.repo.ts.

/** The person with this address key, with their organisation's name, if there is one. */
export async function personByEmailKey(db: Db, key: string): Promise<PersonRow | undefined> {
  return prepare<PersonRow>(
    db,
    undefined,
    `select p.id, p.name, p.email, p.status, o.name as organisation, p.source, p.created_at, p.updated_at
     from person p left join organisation o on o.id = p.organisation_id where p.email_key = ?`,
  ).get(key);
}

/** A person's consent ledger, oldest first, with each event's document slug. */
export async function consentHistoryOf(db: Db, personId: number): Promise<ConsentEventRow[]> {
  return prepare<ConsentEventRow>(
    db,
    undefined,
    `select c.id, c.purpose, d.slug as document, c.action, c.at, c.basis, c.evidence, c.actor, c.policy_version, c.recorded_at
     from consent_event c left join document d on d.id = c.document_id where c.person_id = ? order by c.at, c.id`,
  ).all(personId);
}

import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

/** The version of the privacy statement recorded last, with its digest; undefined before any. */
export function latestPolicy(db: Kysely<Database>): Promise<{ version: string; sha256: string } | undefined> {
  return db.selectFrom('policy_version').select(['version', 'sha256']).orderBy('set_at', 'desc').orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** Records a version of the privacy statement. */
export async function insertPolicyVersion(trx: Kysely<Database>, row: { version: string; sha256: string; set_at: string; actor: string; text: string }): Promise<void> {
  await trx.insertInto('policy_version').values(row).execute();
}

/** Each person's latest consent event per purpose (and document) where it is a grant, with the policy version it was given under; erased people left out. */
export async function latestGrants(db: Kysely<Database>) {
  const { rows } = await sql<{ email: string; name: string; purpose: string; document: string | null; since: string; version: string | null }>`select p.email, p.name, c.purpose, d.slug as document, c.at as since, c.policy_version as version
       from consent_event c
       join person p on p.id = c.person_id and p.erased_at is null
       left join document d on d.id = c.document_id
       where c.action = 'grant' and c.id = (
         select c2.id from consent_event c2 where c2.person_id = c.person_id and c2.purpose = c.purpose and c2.document_id is not distinct from c.document_id
         order by c2.at desc, c2.id desc limit 1)
       order by p.email, c.purpose`.execute(db);
  return rows;
}

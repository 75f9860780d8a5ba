import { sql, type Kysely } from 'kysely';
import { isSqlite, refuseTrigger } from './dialect.js';

/** Erasure markers and policy versions (issue: privacy rights). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('person').addColumn('erased_at', 'text').execute();
  await db.schema
    .createTable('erased_email')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('policy_version')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  // Lawful disclosures are found among millions of released directory and announcement rows.
  await db.schema.createIndex('disclosure_kind_state').on('disclosure').columns(['kind', 'state']).execute();
  if (await isSqlite(db)) {
    // A released disclosure stays frozen; the one change allowed is an erasure replacing its
    // facts with their fingerprint ({"erased_sha256", "fields"}), every other column unchanged.
    await sql`drop trigger disclosure_released_frozen`.execute(db);
    await sql`create trigger disclosure_released_frozen before update on disclosure when old.state = 'released' and not (
        json_extract(new.facts, '$.erased_sha256') is not null and new.kind is old.kind and new.person_id is old.person_id
        and new.organisation_id is old.organisation_id and new.document_id is old.document_id and new.edition is old.edition
        and new.audience is old.audience and new.recipient is old.recipient and new.basis is old.basis and new.due_on is old.due_on
        and new.state is old.state and new.released_at is old.released_at)
      begin select raise(abort, 'a released disclosure is frozen'); end`.execute(db);
  } else {
    await sql`drop trigger disclosure_released_frozen on disclosure`.execute(db);
    const same = ['kind', 'person_id', 'organisation_id', 'document_id', 'edition', 'audience', 'recipient', 'basis', 'due_on', 'state', 'released_at']
      .map((c) => `new.${c} is not distinct from old.${c}`)
      .join(' and ');
    await refuseTrigger(db, 'disclosure_released_frozen', 'update', 'disclosure', `old.state = 'released' and not ((new.facts::jsonb ->> 'erased_sha256') is not null and ${same})`, 'a released disclosure is frozen');
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_version').execute();
  await db.schema.dropTable('erased_email').execute();
  await db.schema.alterTable('person').dropColumn('erased_at').execute();
}

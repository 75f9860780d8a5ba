import { sql, type Kysely } from 'kysely';
import { isSqlite, refuseTrigger } from './dialect.js';

/** Notices: who was informed of which disclosure, when, by which channel (P9). */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = await isSqlite(db);
  const id = (c: any) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  const idType = sqlite ? 'integer' : 'bigint';
  await db.schema.alterTable('disclosure').addColumn('no_notice_reason', 'text').execute();
  await db.schema
    .createTable('notice')
    .addColumn('id', idType, id)
    .addColumn('disclosure_id', idType, (c) => c.notNull().references('disclosure.id'))
    .addColumn('person_id', idType, (c) => c.notNull().references('person.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('subject', 'organisation-contact')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_disclosure').on('notice').columns(['disclosure_id', 'person_id']).execute();
  if (sqlite) {
    // A released disclosure stays frozen except for the one column that says why no notice was given.
    await sql`drop trigger disclosure_released_frozen`.execute(db);
    await sql`create trigger disclosure_released_frozen before update of kind, person_id, organisation_id, document_id, edition, audience, recipient, basis, due_on, state, facts, released_at on disclosure when old.state = 'released' begin select raise(abort, 'a released disclosure is frozen'); end`.execute(db);
  } else {
    await sql`drop trigger disclosure_released_frozen on disclosure`.execute(db);
    const columns = 'kind, person_id, organisation_id, document_id, edition, audience, recipient, basis, due_on, state, facts, released_at';
    await refuseTrigger(db, 'disclosure_released_frozen', `update of ${columns}`, 'disclosure', "old.state = 'released'", 'a released disclosure is frozen');
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notice').execute();
  await db.schema.alterTable('disclosure').dropColumn('no_notice_reason').execute();
}

import { sql, type Kysely } from 'kysely';
import { isSqlite, refuseTrigger } from './dialect.js';

/** Activity on the members' site, hand-made participant changes, and disclosures (what was released, to whom). */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = await isSqlite(db);
  const id = (c: any) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  const idType = sqlite ? 'integer' : 'bigint';

  await db.schema.alterTable('document').addColumn('edition', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('activity')
    .addColumn('id', idType, id)
    .addColumn('person_id', idType, (c) => c.notNull().references('person.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('document_id', idType, (c) => c.references('document.id'))
    .addColumn('detail', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activity_document_person').on('activity').columns(['document_id', 'person_id']).execute();
  await db.schema.createIndex('activity_person_at').on('activity').columns(['person_id', 'at']).execute();

  await db.schema
    .createTable('participant_override')
    .addColumn('document_id', idType, (c) => c.notNull().references('document.id'))
    .addColumn('person_id', idType, (c) => c.notNull().references('person.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('added', 'removed')`))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('participant_override_pk', ['document_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('disclosure')
    .addColumn('id', idType, id)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('credit', 'announcement', 'directory', 'legal')`))
    .addColumn('person_id', idType, (c) => c.references('person.id'))
    .addColumn('organisation_id', idType, (c) => c.references('organisation.id'))
    .addColumn('document_id', idType, (c) => c.references('document.id'))
    .addColumn('edition', 'integer')
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('public', 'members', 'third-party')`))
    .addColumn('recipient', 'text')
    .addColumn('basis', 'text')
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('planned').check(sql`state in ('planned', 'released', 'cancelled')`))
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema.createIndex('disclosure_state_due').on('disclosure').columns(['state', 'due_on']).execute();
  await db.schema.createIndex('disclosure_person').on('disclosure').column('person_id').execute();
  await db.schema.createIndex('disclosure_document').on('disclosure').columns(['document_id', 'edition']).execute();

  if (sqlite) {
    // What was released is history: a released disclosure is never changed or deleted.
    await sql`create trigger disclosure_released_frozen before update on disclosure when old.state = 'released' begin select raise(abort, 'a released disclosure is frozen'); end`.execute(db);
    await sql`create trigger disclosure_released_kept before delete on disclosure when old.state = 'released' begin select raise(abort, 'a released disclosure is frozen'); end`.execute(db);
  } else {
    await refuseTrigger(db, 'disclosure_released_frozen', 'update', 'disclosure', "old.state = 'released'", 'a released disclosure is frozen');
    await refuseTrigger(db, 'disclosure_released_kept', 'delete', 'disclosure', "old.state = 'released'", 'a released disclosure is frozen');
    await refuseTrigger(db, 'disclosure_no_truncate', 'truncate', 'disclosure', null, 'a released disclosure is frozen');
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['disclosure', 'participant_override', 'activity']) await db.schema.dropTable(t).execute();
  await db.schema.alterTable('document').dropColumn('edition').execute();
}

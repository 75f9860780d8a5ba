import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Activity counts per (document, member), kept up to date as activity is recorded,
 * so finding a document's active participants reads a few rows instead of counting
 * millions of events (disclosures check must stay under a second at 10M events).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('participation')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('document.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('activities', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('participation_pk', ['document_id', 'person_id'])
    .execute();
  await db.schema.createIndex('participation_active').on('participation').columns(['document_id', 'activities']).execute();
  await sql`insert into participation (document_id, person_id, activities)
            select document_id, person_id, count(*) from activity where document_id is not null group by document_id, person_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('participation').execute();
}

import type { Kysely } from 'kysely';

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
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_version').execute();
  await db.schema.dropTable('erased_email').execute();
  await db.schema.alterTable('person').dropColumn('erased_at').execute();
}

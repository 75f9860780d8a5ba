import { sql, type Kysely } from 'kysely';
import { isSqlite } from './dialect.js';

/**
 * What `notice send` knows of each message (P9): a notice is `sending` from just before
 * consort connects for it until the server's answer is recorded, so a run that died in
 * between leaves it visibly uncertain instead of sending it twice or counting it as told.
 * The notice itself keeps the Message-ID and the server's reply. problem_ack holds the
 * problems of `disclosures check` that staff reviewed and accepted, with the facts they saw.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = await isSqlite(db);
  const id = (c: any) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  const idType = sqlite ? 'integer' : 'bigint';
  await db.schema.alterTable('notice').addColumn('message_id', 'text').execute();
  await db.schema.alterTable('notice').addColumn('reply', 'text').execute();
  await db.schema.createIndex('notice_message_id').on('notice').column('message_id').unique().execute();
  await db.schema
    .createTable('notice_delivery')
    .addColumn('id', idType, id)
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('disclosure_id', idType, (c) => c.notNull().references('disclosure.id'))
    .addColumn('person_id', idType, (c) => c.notNull().references('person.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('subject', 'organisation-contact')`))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('sending', 'sent', 'deferred', 'failed', 'uncertain')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_delivery_state').on('notice_delivery').columns(['state', 'disclosure_id']).execute();
  await db.schema
    .createTable('problem_ack')
    .addColumn('problem_id', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('problem_ack').execute();
  await db.schema.dropTable('notice_delivery').execute();
  await db.schema.dropIndex('notice_message_id').execute();
  await db.schema.alterTable('notice').dropColumn('reply').execute();
  await db.schema.alterTable('notice').dropColumn('message_id').execute();
}

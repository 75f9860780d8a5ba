import { sql, type Kysely } from 'kysely';
import { isSqlite } from './dialect.js';

/**
 * audit_head: the sequence number and hash of the last audit entry, written in the same
 * transaction as the entry. The hash chain shows an entry edited, removed from the middle or
 * moved; only this record shows the newest entries removed from the end. One row once the log
 * has an entry, none before (so a copy brings its source's).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_head')
    .addColumn('seq', (await isSqlite(db)) ? 'integer' : 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (seq, hash) select seq, hash from audit_entry order by seq desc limit 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_head').execute();
}

import type { Kysely } from 'kysely';

/**
 * Each audit entry says which way its hash was worked out, so the hash can change one day
 * without breaking audit verify on the entries written before: every entry so far is version 1,
 * sha256(prev_hash + the JSON array [seq, at, actor, command, summary]).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_entry').addColumn('hash_version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_entry').dropColumn('hash_version').execute();
}

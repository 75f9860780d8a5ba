import type { Kysely } from 'kysely';

/**
 * The latest consent event of a (person, purpose, scope) is what every list reads (newsletter
 * export, directory, credits): with `action` in the index the lookup never visits the table.
 * Measured on 400k people (newsletter export's query in sqlite3): 0.83 s before, 0.40-0.57 s after.
 * It replaces the index of 0001 (same columns, and action), so writes keep one index to update.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('consent_event_state').execute();
  await db.schema.createIndex('consent_event_state').on('consent_event').columns(['person_id', 'purpose', 'document_id', 'at', 'id', 'action']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('consent_event_state').execute();
  await db.schema.createIndex('consent_event_state').on('consent_event').columns(['person_id', 'purpose', 'document_id', 'at', 'id']).execute();
}

import type { Kysely } from 'kysely';

/**
 * One event is one row: the same member, time, action and document logged twice
 * (a cron job re-reading a site log) is the same event, and must not push anyone
 * over the participation threshold.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('activity_event_unique').on('activity').columns(['person_id', 'at', 'action', 'document_id']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activity_event_unique').execute();
}

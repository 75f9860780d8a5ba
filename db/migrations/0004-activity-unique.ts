import { sql, type Kysely } from 'kysely';

/**
 * One event is one row: the same member, time, action and document logged twice
 * (a cron job re-reading a site log) is the same event, and must not push anyone
 * over the participation threshold.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A log imported twice before this version left duplicates: keep the first of each event.
  await sql`delete from activity where id not in (select min(id) from activity group by person_id, at, action, document_id)`.execute(db);
  await db.schema.createIndex('activity_event_unique').on('activity').columns(['person_id', 'at', 'action', 'document_id']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activity_event_unique').execute();
}

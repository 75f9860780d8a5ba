import { sql, type Kysely } from 'kysely';

/**
 * The unique event index of 0004 treats two events without a document as different (NULL is
 * never equal to NULL in a unique index), so every such event had to be looked for before it
 * was written. Indexing coalesce(document_id, 0) instead (ids start at 1) makes the index
 * itself refuse the second one, with or without a document, in one statement. Its first
 * columns stay (person_id, at), so it still serves a member's activity in time order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Only SQL typed by hand could have left such a pair (the commands looked first): keep the first.
  await sql`delete from activity where document_id is null and exists (
              select 1 from activity b where b.document_id is null and b.person_id = activity.person_id
              and b.at = activity.at and b.action = activity.action and b.id < activity.id)`.execute(db);
  await db.schema.dropIndex('activity_event_unique').execute();
  await sql`create unique index activity_event_unique on activity (person_id, at, action, coalesce(document_id, 0))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activity_event_unique').execute();
  await db.schema.createIndex('activity_event_unique').on('activity').columns(['person_id', 'at', 'action', 'document_id']).unique().execute();
}

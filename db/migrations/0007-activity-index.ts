import type { Kysely } from 'kysely';

/**
 * Drops activity_person_at (person_id, at): the unique event index of 0004 begins with the
 * same two columns, so it serves every lookup that one did (a member's activity, in time
 * order; erasure), while each index costs every recorded event a write at a random place.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activity_person_at').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('activity_person_at').on('activity').columns(['person_id', 'at']).execute();
}

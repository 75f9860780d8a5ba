import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';

/** The value stored for a setting; undefined when none is (its default is in force). */
export async function findSettingValue(db: Kysely<Database>, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/** Whether a value is stored for a setting. */
export async function hasSettingValue(db: Kysely<Database>, key: string): Promise<boolean> {
  return (await findSettingValue(db, key)) !== undefined;
}

/** Every stored setting, key and value. */
export function listStoredSettings(db: Kysely<Database>): Promise<Array<{ key: string; value: string }>> {
  return db.selectFrom('settings').selectAll().execute();
}

/** Removes a setting's stored value. */
export async function deleteSetting(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}

/** Stores a setting's value, replacing the one stored before. */
export async function upsertSetting(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

import { Migrator, type MigrationResult } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { DatabaseError } from '../errors.js';
import { schemaState, type Db } from './connection.js';

/** Brings the schema up to date (creating it only when asked: init, demo); throws if any migration fails. Returns the names applied now. */
export async function migrateToLatest(db: Db, options: { create?: boolean } = {}): Promise<string[]> {
  const state = await schemaState(db);
  if (state.state === 'empty' && !options.create) {
    throw new DatabaseError(`${db.path} is not a consort database (no schema)`, 'create one with consort init');
  }
  if (state.state === 'newer') throw new DatabaseError(`database ${db.path} was written by a newer consort (schema ${state.unknown.join(', ')})`, 'upgrade consort to use it');
  const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new DatabaseError(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`, 'the database was left at its previous version');
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

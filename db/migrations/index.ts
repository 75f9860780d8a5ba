import type { Migration } from 'kysely';
import * as m0001 from './0001-core.js';
import * as m0002 from './0002-activity-documents.js';

/** Every migration, in order; a static list so the bundle needs no file-system scan. */
export const migrations: Record<string, Migration> = {
  '0001-core': m0001,
  '0002-activity-documents': m0002,
};

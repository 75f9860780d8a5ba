import type { Migration } from 'kysely';
import * as m0001 from './0001-core.js';

/** Every migration, in order; a static list so the bundle needs no file-system scan. */
export const migrations: Record<string, Migration> = {
  '0001-core': m0001,
};

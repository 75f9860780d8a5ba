import { migrations } from '../../db/migrations/index.js';
import { MIGRATION_NAMES } from '../../db/migrations/names.js';

test('the start-up list of migration names is the list the migrator runs, in order', () => {
  expect([...MIGRATION_NAMES]).toEqual(Object.keys(migrations));
  expect([...MIGRATION_NAMES]).toEqual([...MIGRATION_NAMES].sort());
});

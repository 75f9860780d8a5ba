import { readFileSync } from 'node:fs';
import { migrations } from '../../db/migrations/index.js';
import { MIGRATION_NAMES } from '../../db/migrations/names.js';

test('the start-up list of migration names is the list the migrator runs, in order', () => {
  expect([...MIGRATION_NAMES]).toEqual(Object.keys(migrations));
  expect([...MIGRATION_NAMES]).toEqual([...MIGRATION_NAMES].sort());
});

test("index.ts pairs each name with its own file: one import a name, in the list's order, and the modules in the imports' order", () => {
  const source = readFileSync(new URL('../../db/migrations/index.ts', import.meta.url), 'utf8');
  const imports = [...source.matchAll(/^import \* as (m\d+) from '\.\/([^']+)\.js';$/gm)];
  expect(imports.map((m) => m[2])).toEqual([...MIGRATION_NAMES]);
  expect(/const MODULES: Migration\[\] = \[([^\]]*)\];/.exec(source)?.[1]?.split(', ')).toEqual(imports.map((m) => m[1]));
  for (const name of MIGRATION_NAMES) expect(typeof migrations[name].up).toBe('function');
});

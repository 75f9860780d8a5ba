/**
 * A module that starts a bundle of its own (the import's reader thread, bench:floor's reader)
 * may be the first to import any of the row schemas: no import cycle may run through them.
 * (This file imports nothing else first, so its module graph starts at schema.ts.)
 */
test('schema.ts imported first loads every import\'s row schema', async () => {
  const { rowParser } = await import('../../src/domain/schema.js');
  const { IMPORT_ROWS } = await import('../../src/domain/import-rows.js');
  expect(typeof rowParser).toBe('function');
  expect(Object.keys(IMPORT_ROWS)).toEqual(['member', 'activity', 'consent']);
  expect(IMPORT_ROWS.member.parse({ name: 'A', email: 'a@example.org' }, 2, 'x.csv')).toMatchObject({ name: 'A', status: 'contact' });
});

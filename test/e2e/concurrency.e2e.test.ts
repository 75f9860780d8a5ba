/** End-to-end: writers and an exporter at once, on one database (SQLite: WAL and a busy timeout; PostgreSQL: the write lock). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consort } from '../helpers/e2e.js';
import { countAt, holdWriteLock, newDatabase, onPostgres, tempDir } from '../helpers/db.js';

/** The big import (PostgreSQL's take longer a row, so fewer overlap the other writers as long). */
const BIG = onPostgres ? 3000 : 30000;

test('an import, member adds and a newsletter export at once: no lock failure, no lost row, a consistent snapshot', async () => {
  const dir = tempDir();
  const db = await newDatabase(dir);
  await consort(['init', '--db', db]);
  const base = join(dir, 'base.csv');
  writeFileSync(base, 'name,email,status\n' + Array.from({ length: 2000 }, (_, i) => `Base ${i},b${i}@example.org,member`).join('\n') + '\n');
  expect((await consort(['member', 'import', base, '--db', db])).code).toBe(0);
  const big = join(dir, 'big.csv');
  writeFileSync(big, 'name,email,status\n' + Array.from({ length: BIG }, (_, i) => `New ${i},n${i}@example.org,member`).join('\n') + '\n');

  const importing = consort(['member', 'import', big, '--db', db]);
  const adds = Promise.all(Array.from({ length: 5 }, (_, i) => consort(['member', 'add', '--name', `Walk In ${i}`, '--email', `w${i}@example.org`, '--status', 'member', '--db', db])));
  const exporting = consort(['newsletter', 'export', '--db', db]);
  const [imp, added, exp] = await Promise.all([importing, adds, exporting]);
  expect(imp.stderr).not.toMatch(/locked/);
  expect(imp.code).toBe(0);
  for (const a of added) expect(a.code).toBe(0);
  expect(exp.code).toBe(0);

  expect(await countAt(db, 'person')).toBe(2000 + BIG + 5);
  // Every writer appended to one audit chain, which still verifies: it never forked.
  expect((await consort(['audit', 'verify', '--db', db])).code).toBe(0);
  // The export saw one committed state: the base, any of the walk-ins, and all of the import or none of it.
  const lines = exp.stdout.split('\n').filter(Boolean);
  const fromImport = lines.filter((l) => l.startsWith('n')).length;
  expect([0, BIG]).toContain(fromImport);
  expect(lines.filter((l) => l.startsWith('b'))).toHaveLength(2000);
  expect((await consort(['db', 'check', '--db', db])).code).toBe(0);
}, 120000);

test('a write that cannot get the lock within the busy timeout exits 8 and says to retry', async () => {
  const dir = tempDir();
  const db = await newDatabase(dir);
  await consort(['init', '--db', db]);
  const holder = await holdWriteLock(db);
  try {
    const r = await consort(['member', 'add', '--name', 'A', '--email', 'a@example.org', '--db', db], { env: { CONSORT_BUSY_TIMEOUT_MS: '300' } });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/^consort: database .* is locked by another process \(retry in a moment/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // Reading still works while another process writes (WAL; PostgreSQL's snapshots).
    expect((await consort(['member', 'list', '--db', db])).code).toBe(0);
  } finally {
    await holder.release();
  }
});

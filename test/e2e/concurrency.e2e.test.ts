/** End-to-end: writers and an exporter at once, on one database (SQLite: WAL and a busy timeout; PostgreSQL: the write lock). */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consort } from '../helpers/e2e.js';
import { countAt, holdWriteLock, newDatabase, onPostgres, rowsAt, tempDir, writeLockProbe } from '../helpers/db.js';

/** The big import: long enough that the others start, and the export reads its whole list, while it runs. */
const BIG = onPostgres ? 15000 : 30000;
/** The others wait for the import's lock: longer than the default 5 s may pass on a loaded machine (the timeout itself is the next test's). */
const WAIT = { CONSORT_BUSY_TIMEOUT_MS: '30000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an import, member adds and a newsletter export at once: no lock failure, no lost row, a consistent snapshot', async () => {
  const dir = tempDir();
  const db = await newDatabase(dir);
  await consort(['init', '--db', db]);
  const base = join(dir, 'base.csv');
  writeFileSync(base, 'name,email,status\n' + Array.from({ length: 2000 }, (_, i) => `Base ${i},b${i}@example.org,member`).join('\n') + '\n');
  expect((await consort(['member', 'import', base, '--db', db])).code).toBe(0);
  const big = join(dir, 'big.csv');
  writeFileSync(big, 'name,email,status\n' + Array.from({ length: BIG }, (_, i) => `New ${i},n${i}@example.org,member`).join('\n') + '\n');

  const probe = await writeLockProbe(db);
  try {
    const importing = consort(['member', 'import', big, '--db', db]);
    // The others start once the import is inside its transaction, holding the write lock.
    for (let i = 0; i < 5000 && !(await probe.held()); i++) await sleep(2);
    expect(await probe.held()).toBe(true);
    const adds = Promise.all(Array.from({ length: 5 }, (_, i) => consort(['member', 'add', '--name', `Walk In ${i}`, '--email', `w${i}@example.org`, '--status', 'member', '--db', db], { env: WAIT })));
    // The export streams its list to stdout as it reads: if the import still held the lock when the
    // last of it arrived, the list was read while the import was uncommitted (as it nearly always is).
    let heldAtLastLine: Promise<boolean> = Promise.resolve(false);
    const exporting = consort(['newsletter', 'export', '--db', db], { env: WAIT, onStdout: () => void (heldAtLastLine = probe.held()) });
    const [imp, added, exp] = await Promise.all([importing, adds, exporting]);
    for (const r of [imp, ...added, exp]) {
      expect(r.stderr).not.toMatch(/locked/);
      expect(r.code).toBe(0);
    }

    expect(await countAt(db, 'person')).toBe(2000 + BIG + 5);
    // Every writer appended to one audit chain, which still verifies: it never forked.
    expect((await consort(['audit', 'verify', '--db', db])).code).toBe(0);
    // The export read one committed state: the base; all of the import or none; walk-ins only after it.
    const lines = exp.stdout.split('\n').filter(Boolean);
    const seen = { b: 0, n: 0, w: 0 };
    for (const l of lines) seen[/^([bnw])\d+@example\.org$/.exec(l)![1] as 'b' | 'n' | 'w']++;
    expect(seen.b).toBe(2000);
    if (await heldAtLastLine) expect(seen).toEqual({ b: 2000, n: 0, w: 0 });
    else if (seen.n === 0) expect(seen.w).toBe(0);
    else expect(seen.n).toBe(BIG);
    // And it recorded what it delivered: the count and checksum of exactly that list.
    const [record] = await rowsAt<{ row_count: number; sha256: string }>(db, "select row_count, sha256 from export_record where kind = 'newsletter'");
    expect(Number(record!.row_count)).toBe(lines.length);
    expect(record!.sha256).toBe(createHash('sha256').update(exp.stdout).digest('hex'));
    expect((await consort(['db', 'check', '--db', db])).code).toBe(0);
  } finally {
    await probe.close();
  }
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

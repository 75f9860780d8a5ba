/** End-to-end: imports killed (SIGKILL) midway leave a sound database with all rows or none, or whole batches. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, consort } from '../helpers/e2e.js';
import { countAt, newDatabase, onPostgres, tempDir, writeLockProbe } from '../helpers/db.js';

const ENV = { PATH: process.env.PATH ?? '', HOME: '/tmp', CONSORT_ACTOR: 'e2e', CONSORT_NOW: '2026-03-01T10:00:00Z' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Enough rows that the import is still running when it is killed (PostgreSQL's imports take longer a row). */
const ROWS = onPostgres ? 6000 : 60000;

/** Starts consort, and kills it with SIGKILL as soon as it holds the database's write lock. */
async function killInsideTransaction(db: string, args: string[]): Promise<{ killed: boolean; signal: string | null }> {
  const probe = await writeLockProbe(db);
  const child = spawn(process.execPath, [BIN, ...args, '--db', db], { env: ENV, stdio: 'ignore' });
  const done = new Promise<string | null>((r) => child.on('close', (_c, s) => r(s)));
  let killed = false;
  for (let i = 0; i < 5000 && child.exitCode === null && !killed; i++) {
    if (await probe.held()) {
      await sleep(100); // well inside the import's one transaction
      child.kill('SIGKILL');
      killed = true;
    } else {
      await sleep(2);
    }
  }
  await probe.close();
  return { killed, signal: await done };
}

const count = countAt;

async function setup() {
  const dir = tempDir();
  const db = await newDatabase(dir);
  expect((await consort(['init', '--db', db])).code).toBe(0);
  return { dir, db };
}

test('member import killed midway: db check passes and no row of the file is there', async () => {
  const { dir, db } = await setup();
  const file = join(dir, 'people.csv');
  writeFileSync(file, 'name,email,status\n' + Array.from({ length: ROWS }, (_, i) => `Person ${i},p${i}@example.org,${i % 2 ? 'member' : 'contact'}`).join('\n') + '\n');
  const r = await killInsideTransaction(db, ['member', 'import', file]);
  expect(r).toEqual({ killed: true, signal: 'SIGKILL' });
  expect((await consort(['db', 'check', '--db', db])).code).toBe(0);
  expect(await count(db, 'person')).toBe(0);
  expect(await count(db, 'consent_event')).toBe(0);
  // And the same file then imports whole.
  expect((await consort(['member', 'import', file, '--db', db])).code).toBe(0);
  expect(await count(db, 'person')).toBe(ROWS);
});

test('activity import of a file killed midway: all or nothing; from a pipe: whole batches, as audited', async () => {
  const { dir, db } = await setup();
  await consort(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', db]);
  const line = (i: number) => JSON.stringify({ email: 'ada@example.org', action: 'edit', at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() });
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, Array.from({ length: ROWS }, (_, i) => line(i)).join('\n') + '\n');
  const r = await killInsideTransaction(db, ['activity', 'import', file]);
  expect(r).toEqual({ killed: true, signal: 'SIGKILL' });
  expect((await consort(['db', 'check', '--db', db])).code).toBe(0);
  expect(await count(db, 'activity')).toBe(0);

  // A pipe: write rows in bursts, kill while rows are still coming.
  const child = spawn(process.execPath, [BIN, 'activity', 'import', '-', '--batch-rows', '100', '--db', db], { env: ENV, stdio: ['pipe', 'ignore', 'ignore'] });
  const done = new Promise((r) => child.on('close', r));
  for (let burst = 0; burst < 5; burst++) {
    child.stdin.write(Array.from({ length: 150 }, (_, i) => line(100000 + burst * 150 + i)).join('\n') + '\n');
    await sleep(400);
  }
  child.kill('SIGKILL');
  await done;
  expect((await consort(['db', 'check', '--db', db])).code).toBe(0);
  const kept = await count(db, 'activity');
  const audit = JSON.parse((await consort(['audit', 'list', '--format', 'json', '--db', db])).stdout) as Array<{ summary: string }>;
  const batched = audit.filter((e) => /activity import from <stdin> \(ndjson\), batch \d+: add \d+/.test(e.summary)).reduce((n, e) => n + Number(/add (\d+)/.exec(e.summary)![1]), 0);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThanOrEqual(750);
  expect(kept).toBe(batched);
});

/**
 * End-to-end: the real bin/consort reading a pipe that stays open, and a release
 * killed halfway. Both are about what survives a process that does not finish.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, consort } from '../helpers/e2e.js';
import { tempDir, newDatabase, writeLockProbe, rowsAt } from '../helpers/db.js';

const ENV = { PATH: process.env.PATH ?? '', HOME: '/tmp', CONSORT_ACTOR: 'e2e', CONSORT_NOW: '2026-03-01T10:00:00Z' };

function start(args: string[]): { child: ChildProcessWithoutNullStreams; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const event = (email: string, i: number) => JSON.stringify({ email, action: 'edit', at: `2026-02-01T09:00:${String(i % 60).padStart(2, '0')}Z`, document: 'spec' }) + '\n';

async function setup() {
  const dir = tempDir();
  const db = await newDatabase(dir);
  expect((await consort(['init', '--db', db])).code).toBe(0);
  await consort(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', db]);
  await consort(['member', 'add', '--name', 'Carl', '--email', 'carl@example.org', '--db', db]);
  await consort(['document', 'add', 'spec', '--title', 'Spec', '--release-on', '2026-06-30', '--db', db]);
  return { dir, db };
}

const count = async (db: string) => JSON.parse((await consort(['activity', 'list', '--format', 'json', '--db', db])).stdout).length;
/** Ada's activities on spec, as counted for participation (written with each batch's events). */
const counted = async (db: string) =>
  (JSON.parse((await consort(['document', 'participants', 'spec', '--format', 'json', '--db', db])).stdout) as Array<{ email: string; activities: number }>).find((p) => p.email === 'ada@example.org')?.activities ?? 0;

describe('activity import from a pipe', () => {
  test('rows are committed as they arrive while the pipe stays open', async () => {
    const { db } = await setup();
    const p = start(['activity', 'import', '-', '--db', db]);
    for (let i = 0; i < 3; i++) p.child.stdin.write(event('ada@example.org', i));
    await sleep(2500);
    expect(await count(db)).toBe(3);
    expect(await counted(db)).toBe(3);
    p.child.stdin.end(event('ada@example.org', 3));
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(await count(db)).toBe(4);
    expect(await counted(db)).toBe(4);
  });

  test('a bad line in the middle stops the import after the rows before it; nothing after it', async () => {
    const { db } = await setup();
    const p = start(['activity', 'import', '-', '--db', db]);
    p.child.stdin.write(event('ada@example.org', 0) + event('ada@example.org', 1));
    await sleep(300);
    p.child.stdin.write(event('carl@example.org', 2));
    p.child.stdin.end(event('ada@example.org', 3));
    const r = await p.done;
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('<stdin>:3: email: P5: carl@example.org is a contact');
    expect(r.stderr).toMatch(/the 2 rows imported before it were kept, nothing after it was read/);
    expect(await count(db)).toBe(2);
    expect(await counted(db)).toBe(2);
    expect((await consort(['db', 'check', '--db', db])).code).toBe(0);
  });

  test('with --skip-invalid a pipe goes on past bad lines', async () => {
    const { db } = await setup();
    const r = await consort(['activity', 'import', '-', '--skip-invalid', '--db', db], { input: event('ada@example.org', 0) + '{bad json\n' + event('carl@example.org', 1) + event('ada@example.org', 2) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('<stdin>:2: not valid JSON');
    expect(await count(db)).toBe(2);
    expect(await counted(db)).toBe(2);
  });
});

describe('a release killed halfway', () => {
  test('killed inside its transaction, it leaves nothing of the release and a sound database', async () => {
    const { dir, db } = await setup();
    const n = 4000;
    const people = ['name,email,status'];
    const events: string[] = [];
    const consents = ['email,purpose,action'];
    for (let i = 0; i < n; i++) {
      people.push(`Person ${i},p${i}@example.org,member`);
      consents.push(`p${i}@example.org,credit,grant`);
      for (let k = 0; k < 3; k++) events.push(event(`p${i}@example.org`, k).trim());
    }
    writeFileSync(join(dir, 'people.csv'), people.join('\n') + '\n');
    writeFileSync(join(dir, 'events.ndjson'), events.join('\n') + '\n');
    writeFileSync(join(dir, 'consents.csv'), consents.join('\n') + '\n');
    expect((await consort(['member', 'import', join(dir, 'people.csv'), '--db', db])).code).toBe(0);
    expect((await consort(['activity', 'import', join(dir, 'events.ndjson'), '--db', db])).code).toBe(0);
    expect((await consort(['consent', 'import', join(dir, 'consents.csv'), '--db', db])).code).toBe(0);

    // Everyone is told (their credit, their membership), as another mailer would: drafts, then the record of them.
    expect((await consort(['notice', 'export', '-o', join(dir, 'drafts.mbox'), '--db', db])).code).toBe(0);
    expect((await consort(['notice', 'record', '--from', join(dir, 'drafts.mbox'), '--db', db])).code).toBe(0);
    // Kill the release while it holds the write lock, i.e. inside its transaction:
    // poll with a zero busy timeout until taking the lock fails.
    const probe = await writeLockProbe(db);
    const p = start(['document', 'release', 'spec', '--yes', '--db', db]);
    let killedInside = false;
    for (let i = 0; i < 2000 && p.child.exitCode === null; i++) {
      if (await probe.held()) {
        p.child.kill('SIGKILL');
        killedInside = true;
        break;
      }
      await sleep(2);
    }
    await probe.close();
    const r = await p.done;
    expect(killedInside).toBe(true);
    expect(r.signal).toBe('SIGKILL');

    expect((await consort(['db', 'check', '--db', db])).code).toBe(0);
    const doc = JSON.parse((await consort(['document', 'show', 'spec', '--format', 'json', '--db', db])).stdout);
    const credits = (await consort(['credits', 'export', 'spec', '--db', db])).stdout.trim().split('\n').filter(Boolean).length;
    // Killed inside the transaction: nothing of the release survives.
    expect(doc.status).toBe('scheduled');
    expect(doc.edition).toBe(0);
    expect(credits).toBe(n);
    const byState = await rowsAt(db, "select state, count(*) as n from disclosure where kind = 'credit' group by state");
    // The credit disclosures are still only planned: none was released.
    expect(byState).toEqual([{ state: 'planned', n }]);
    // And the release can then run to the end.
    expect((await consort(['document', 'release', 'spec', '--yes', '--db', db])).code).toBe(0);
    expect((await consort(['credits', 'export', 'spec', '--format', 'json', '--db', db])).stdout).toMatch(/p3999@example.org/);
  });
});

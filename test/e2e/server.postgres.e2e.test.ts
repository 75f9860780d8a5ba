/**
 * End-to-end, PostgreSQL only (SPEC section 6): what a server brings that a file does not, a
 * password in the URL, a server that refuses or is not there, backups into a file, demo.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { consort, expectOneLineError, mode } from '../helpers/e2e.js';
import { newDatabase, PG, tempDir } from '../helpers/db.js';

const password = new URL(PG!).password;
const masked = (url: string) => url.replace(`:${password}@`, ':***@');

test('the password in the URL is never printed: not in output, messages, errors or audit entries', async () => {
  expect(password.length).toBeGreaterThan(4);
  const db = await newDatabase();
  const other = await newDatabase();
  const runs = [
    await consort(['init', '--db', db]),
    await consort(['db', 'path', '--db', db]),
    await consort(['db', 'path'], { env: { CONSORT_DB: db } }),
    await consort(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', db]),
    await consort(['member', 'show', 'nobody@example.org', '--db', db]),
    await consort(['init', '--db', db]),
    await consort(['db', 'stats', '--db', db]),
    await consort(['db', 'check', '--db', db]),
    await consort(['db', 'copy', '--to', other, '--db', db]),
    await consort(['member', 'list', '--db', db.replace(/\/[^/]*$/, '/consort_no_such_db'), '--verbose']),
    await consort(['audit', 'list', '--format', 'json', '--db', db]),
    await consort(['audit', 'list', '--format', 'json', '--db', other]),
  ];
  for (const r of runs) {
    expect(r.stdout).not.toContain(password);
    expect(r.stderr).not.toContain(password);
  }
  expect(runs[1]!.stdout).toBe(masked(db) + '\n');
  expect(runs[2]!.stdout).toBe(masked(db) + '\n');
  expect(runs[4]!.code).toBe(5);
  expect(runs[5]!.code).toBe(6);
  expect(runs[5]!.stderr).toContain(masked(db));
  expect(runs[8]!.code).toBe(0);
  expect(runs[9]!.code).toBe(8);
  const audit = JSON.parse(runs[10]!.stdout) as Array<{ summary: string }>;
  expect(audit.some((e) => e.summary === `copy to ${masked(other)}`)).toBe(true);
});

test('a password that a URL parser would misread is masked all the same; an unknown kind of URL is exit 2, never a file name', async () => {
  const odd = await consort(['member', 'list', '--db', 'postgres://consort:12#3/x?y@127.0.0.1:1/nothing']);
  expect(odd.code).toBe(8);
  expect(odd.stderr).not.toMatch(/12#3|x\?y/);
  expect(odd.stderr).toContain('postgres://consort:***@127.0.0.1:1/nothing');
  const dir = tempDir();
  const other = await consort(['member', 'list', '--db', 'mysql://consort:s3cr3t@127.0.0.1/consort'], { cwd: dir });
  expectOneLineError(other, 2);
  expect(other.stderr).toContain('unknown kind of database URL: mysql://consort:***@127.0.0.1/consort');
  expect(readdirSync(dir)).toEqual([]);
});

test('a wrong password, a server that is not there, a missing database: exit 8 and one line each', async () => {
  const db = await newDatabase();
  expect((await consort(['init', '--db', db])).code).toBe(0);
  const wrong = db.replace(`:${password}@`, ':not-the-password@');
  const refused = await consort(['member', 'list', '--db', wrong]);
  expectOneLineError(refused, 8);
  expect(refused.stderr).toMatch(/authentication failed/);
  expect(refused.stderr).not.toContain('not-the-password');

  const nowhere = db.replace(/:\d+\//, ':1/');
  const down = await consort(['member', 'list', '--db', nowhere]);
  expectOneLineError(down, 8);
  expect(down.stderr).toMatch(/cannot connect to .*127\.0\.0\.1:1\/.*ECONNREFUSED/);

  const missing = await consort(['member', 'list', '--db', db + '_missing']);
  expectOneLineError(missing, 8);
  expect(missing.stderr).toMatch(/no database at .* \(create it \(createdb\), then run consort init --db URL\)/);
});

test('db backup of a PostgreSQL database writes a new SQLite file with every row', async () => {
  const db = await newDatabase();
  await consort(['init', '--db', db]);
  await consort(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', db]);
  const file = join(tempDir(), 'backup.db');
  const r = await consort(['db', 'backup', file, '--db', db]);
  expect(r.code).toBe(0);
  const list = (where: string) => consort(['member', 'list', '--format', 'json', '--db', where]);
  expect(JSON.parse((await list(file)).stdout)).toEqual(JSON.parse((await list(db)).stdout));
  expect((await consort(['audit', 'verify', '--db', file])).code).toBe(0);
  // P4: the file holds everyone's data: 0600 whatever the umask lets through.
  expect(mode(file)).toBe(0o600);
  expect((await consort(['db', 'backup', file, '--db', db])).code).toBe(6);
});

test('demo fills an empty PostgreSQL database, and refuses one that holds a schema', async () => {
  const db = await newDatabase();
  const r = await consort(['demo', '--db', db, '--people', '30']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('## Five people');
  expect(JSON.parse((await consort(['db', 'stats', '--format', 'json', '--db', db])).stdout).tables.person).toBe(32);
  const again = await consort(['demo', '--db', db, '--force']);
  expect(again.code).toBe(6);
});

/**
 * End-to-end, PostgreSQL only: a server that stops (pg_ctl stop -m immediate, as a crash would)
 * while an import is writing. Nothing of the import is kept, the command fails with exit 8 and
 * one line, and the same import runs to the end once the server is back. The test runs its own
 * cluster (.ci/postgres), since it stops it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, consort, expectOneLineError } from '../helpers/e2e.js';
import { tempDir } from '../helpers/db.js';

const CI_POSTGRES = fileURLToPath(new URL('../../.ci/postgres', import.meta.url));
const ENV = { PATH: process.env.PATH ?? '', HOME: '/tmp', CONSORT_ACTOR: 'e2e', CONSORT_NOW: '2026-03-01T10:00:00Z', NO_COLOR: '1' };
const ROWS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** pg_ctl of the installed PostgreSQL, run as the cluster's owner (the postgres user when root). */
function pgCtl(dir: string, args: string) {
  const bin = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1)!;
  const command = `/usr/lib/postgresql/${bin}/bin/pg_ctl -D '${dir}/data' ${args}`;
  if (process.getuid?.() === 0) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'ignore' });
  else execFileSync('sh', ['-c', command], { stdio: 'ignore' });
}

let cluster: string;
let base: string;
let port: string;

beforeAll(() => {
  const dir = tempDir();
  // The cluster's owner (postgres, when the tests run as root) must reach its directory.
  chmodSync(dir, 0o711);
  cluster = join(dir, 'pg');
  port = String(55000 + (process.pid % 900));
  base = execFileSync(CI_POSTGRES, ['start', cluster, port], { encoding: 'utf8' }).trim();
}, 120_000);

afterAll(() => {
  if (cluster) execFileSync(CI_POSTGRES, ['stop', cluster]);
});

/** Rows in each table an import writes, and the audit entries. */
async function counts(url: string) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select (select count(*) from person)::int people, (select count(*) from consent_event)::int consents, (select count(*) from disclosure)::int disclosures, (select count(*) from notice)::int notices, (select count(*) from activity)::int events, (select count(*) from participation)::int pairs, (select count(*) from audit_entry)::int audit',
    );
    return rows[0] as Record<string, number>;
  } finally {
    await client.end();
  }
}

/**
 * Runs an import, stops the server immediately once the import's transaction has written rows
 * (consort's connection holds a transaction id: from its first COPY or insert until it commits),
 * and starts the server again. Asked on one connection every 5 ms: a poll for an active COPY
 * alone, on a new connection each time, missed a member import's short COPYs under a loaded CI.
 */
async function stoppedMidway(url: string, args: string[], pipeFrom?: string) {
  const pg = (await import('pg')).default;
  const watcher = new pg.Client({ connectionString: url });
  // Its connection is cut when the server stops.
  watcher.on('error', () => {});
  await watcher.connect();
  const child = spawn(process.execPath, [BIN, ...args, '--db', url], { env: ENV, stdio: [pipeFrom ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
  if (pipeFrom) {
    child.stdin!.on('error', () => {});
    createReadStream(pipeFrom).pipe(child.stdin!);
  }
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  let stopped = false;
  try {
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      const { rows } = await watcher.query("select count(*)::int n from pg_stat_activity where application_name = 'consort' and backend_xid is not null");
      if (rows[0].n > 0) {
        pgCtl(cluster, '-m immediate stop');
        stopped = true;
        break;
      }
      await sleep(5);
    }
  } finally {
    await Promise.race([watcher.end().catch(() => {}), sleep(1000)]);
  }
  const { code, signal } = await done;
  if (stopped) pgCtl(cluster, `-l '${cluster}/server.log' -w -o "-h 127.0.0.1 -p ${port} -k '${cluster}' -c fsync=off -c full_page_writes=off" start`);
  return { stopped, code, signal, stdout: '', stderr };
}

test('an import while the server stops midway: nothing half-written, exit 8 and one line; after a restart the import succeeds', async () => {
  const dir = tempDir();
  const url = `${base}/faults`;
  execFileSync('psql', ['-q', `${base}/postgres`, '-c', 'create database faults']);
  expect((await consort(['init', '--db', url])).code).toBe(0);
  const people = join(dir, 'people.csv');
  writeFileSync(people, 'name,email,organization,status\n' + Array.from({ length: ROWS }, (_, i) => `Person ${i},p${i}@example.org,Org ${i % 50},${i % 3 ? 'member' : 'contact'}`).join('\n') + '\n');
  const before = await counts(url);

  const r = await stoppedMidway(url, ['member', 'import', people]);
  expect(r.stopped).toBe(true);
  expectOneLineError(r, 8);
  expect(r.stderr).toMatch(/lost the connection to the database/);
  expect(r.stderr).not.toContain(new URL(base).password);
  expect(await counts(url)).toEqual(before);
  expect((await consort(['member', 'import', people, '--db', url, '-q'])).code).toBe(0);
  const imported = await counts(url);
  expect(imported.people).toBe(ROWS);
  expect((await consort(['audit', 'verify', '--db', url])).code).toBe(0);

  // The same for site events, whose import looks up members and counts participation.
  expect((await consort(['document', 'add', 'spec', '--title', 'Spec', '--db', url])).code).toBe(0);
  const events = join(dir, 'events.ndjson');
  const members = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 3);
  writeFileSync(events, members.map((i) => JSON.stringify({ email: `p${i}@example.org`, action: 'edit', at: '2026-02-01T09:00:00Z', document: 'spec' })).join('\n') + '\n');
  const withDocument = await counts(url);
  const e = await stoppedMidway(url, ['activity', 'import', events]);
  expect(e.stopped).toBe(true);
  expectOneLineError(e, 8);
  expect(await counts(url)).toEqual(withDocument);
  expect((await consort(['activity', 'import', events, '--db', url, '-q'])).code).toBe(0);
  expect(await counts(url)).toEqual({ ...withDocument, events: members.length, pairs: members.length, audit: withDocument.audit! + 1 });
  expect((await consort(['db', 'check', '--db', url])).code).toBe(0);

  // From a pipe, committed in batches: the batches committed before the stop are kept whole, as audited.
  const later = join(dir, 'later.ndjson');
  writeFileSync(later, members.map((i) => JSON.stringify({ email: `p${i}@example.org`, action: 'view', at: '2026-02-02T09:00:00Z', document: 'spec' })).join('\n') + '\n');
  const p = await stoppedMidway(url, ['activity', 'import', '-', '--batch-rows', '5000'], later);
  expect(p.stopped).toBe(true);
  expectOneLineError(p, 8);
  const audit = JSON.parse((await consort(['audit', 'list', '--format', 'json', '--db', url])).stdout) as Array<{ summary: string }>;
  const batched = audit.filter((a) => /activity import from <stdin> \(ndjson\), batch \d+: add \d+/.test(a.summary)).reduce((n, a) => n + Number(/add (\d+)/.exec(a.summary)![1]), 0);
  const kept = await counts(url);
  expect(kept.events).toBe(members.length + batched);
  const again = await consort(['activity', 'import', '-', '--db', url, '-q'], { input: readFileSync(later) });
  expect(again.code).toBe(0);
  expect((await counts(url)).events).toBe(2 * members.length);
  expect((await consort(['audit', 'verify', '--db', url])).code).toBe(0);
}, 240_000);

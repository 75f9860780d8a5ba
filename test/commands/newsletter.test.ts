import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase } from '../helpers/db.js';

// A name full of quotes, commas, backslashes, newlines and non-Latin script.
const HARD_NAME = 'Zoë "Zed" O\'Brien, Jr. \\ 王伟\nعمر — Ελένη';

async function dbWithPeople(people: Array<Record<string, unknown>>) {
  const dir = tempDir();
  const db = await newDatabase(dir);
  expect((await runCli(['init', '--db', db])).code).toBe(0);
  const file = join(dir, 'people.ndjson');
  writeFileSync(file, people.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const r = await runCli(['member', 'import', file, '--db', db]);
  expect(r.stderr).toMatch(/added/);
  expect(r.code).toBe(0);
  return { dir, db };
}

/**
 * Parses `"Name" <addr>` lines with Python's standard library: email.utils.parseaddr,
 * then RFC 2047 decoding with email.header (the strict headerregistry refuses a
 * display name containing a newline, so it cannot be the reference here).
 */
function pythonParse(lines: string): Array<[string, string]> {
  const script = [
    'import sys, json',
    'from email.utils import parseaddr',
    'from email.header import decode_header, make_header',
    'out = []',
    'for line in sys.stdin.read().splitlines():',
    '    name, addr = parseaddr(line)',
    '    out.append([str(make_header(decode_header(name))), addr])',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script], { input: lines, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('newsletter export', () => {
  test('a hard name survives import then rfc5322, csv and json export byte for byte', async () => {
    const { db } = await dbWithPeople([
      { name: HARD_NAME, email: 'zoe@example.org', status: 'member' },
      { name: 'Plain "Quoted" \\ Name', email: 'plain@example.org', newsletter: true },
    ]);
    const rfc = await runCli(['newsletter', 'export', '--format', 'rfc5322', '--db', db]);
    expect(rfc.code).toBe(0);
    expect(pythonParse(rfc.stdout)).toEqual([
      [HARD_NAME, 'zoe@example.org'],
      ['Plain "Quoted" \\ Name', 'plain@example.org'],
    ]);
    expect(rfc.stdout.split('\n').every((l) => l.length <= 998)).toBe(true);

    const csv = await runCli(['newsletter', 'export', '--format', 'csv', '--db', db]);
    expect(parse(csv.stdout)).toEqual([['name', 'email'], [HARD_NAME, 'zoe@example.org'], ['Plain "Quoted" \\ Name', 'plain@example.org']]);

    const json = await runCli(['newsletter', 'export', '--format', 'json', '--db', db]);
    expect(JSON.parse(json.stdout)).toEqual([{ name: HARD_NAME, email: 'zoe@example.org' }, { name: 'Plain "Quoted" \\ Name', email: 'plain@example.org' }]);

    const nd = await runCli(['newsletter', 'export', '--format', 'ndjson', '--db', db]);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l).name)).toEqual([HARD_NAME, 'Plain "Quoted" \\ Name']);

    const lines = await runCli(['newsletter', 'export', '--db', db]);
    expect(lines.stdout).toBe('zoe@example.org\nplain@example.org\n');
  });

  test('a formula-like name is neutralised in CSV', async () => {
    const { db } = await dbWithPeople([{ name: '=HYPERLINK("http://evil.example","x")', email: 'f@example.org', newsletter: 'yes' }]);
    const csv = await runCli(['newsletter', 'export', '--format', 'csv', '--db', db]);
    expect(parse(csv.stdout)[1]?.[0]).toBe('\'=HYPERLINK("http://evil.example","x")');
    const list = await runCli(['member', 'list', '--format', 'csv', '--db', db]);
    expect(parse(list.stdout)[1]?.[1]).toMatch(/^'=/);
  });

  test('every export is recorded with count and sha256, and audited', async () => {
    const { db } = await dbWithPeople([{ name: 'A', email: 'a@example.org', status: 'member' }]);
    const r = await runCli(['newsletter', 'export', '--db', db]);
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(r.stdout).digest('hex');
    expect(r.stderr).toContain(sha);
    const audit = await runCli(['audit', 'list', '--format', 'json', '--db', db]);
    const last = JSON.parse(audit.stdout).at(-1);
    expect(last.command).toBe('newsletter export');
    expect(last.summary).toContain(`1 rows, sha256 ${sha}`);
  });

  test('-o writes the file whole, mode 0600, leaving no temporary file', async () => {
    const { db, dir } = await dbWithPeople([{ name: 'A', email: 'a@example.org', status: 'member' }]);
    const out = join(dir, 'list.txt');
    const r = await runCli(['newsletter', 'export', '-o', out, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('a@example.org\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('-o into a named pipe writes into it, and leaves it a pipe; -o through a symbolic link replaces the file it names', async () => {
    const { db, dir } = await dbWithPeople([{ name: 'A', email: 'a@example.org', status: 'member' }]);
    const fifo = join(dir, 'list.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (c: Buffer) => (read += c.toString()));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = await runCli(['newsletter', 'export', '-o', fifo, '--db', db]);
    await closed;
    expect(r.code).toBe(0);
    expect(read).toBe('a@example.org\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'list.txt'), 'old\n');
    symlinkSync(join('real', 'list.txt'), join(dir, 'link.txt'));
    expect((await runCli(['newsletter', 'export', '-o', join(dir, 'link.txt'), '--db', db])).code).toBe(0);
    expect(lstatSync(join(dir, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'list.txt'), 'utf8')).toBe('a@example.org\n');

    symlinkSync(join(dir, 'nowhere', 'x.txt'), join(dir, 'dangling.txt'));
    const dangling = await runCli(['newsletter', 'export', '-o', join(dir, 'dangling.txt'), '--db', db]);
    expect(dangling.code).toBe(2);
    expect(dangling.stderr).toMatch(/^consort: cannot write .*dangling\.txt: it is a symbolic link that leads nowhere/);
  });

  test('-o: a reader that stops early, or a path that cannot be, is exit 2 in one line, and no export is recorded', async () => {
    const people = Array.from({ length: 3000 }, (_, i) => ({ name: `Member With A Long Name ${i}`, email: `m${i}@example.org`, status: 'member' }));
    const { db, dir } = await dbWithPeople(people);
    const exports = async () => JSON.parse((await runCli(['audit', 'list', '--format', 'json', '--db', db])).stdout).filter((e: { command: string }) => e.command === 'newsletter export').length;
    const fifo = join(dir, 'short.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // head reads 10 bytes and goes: the rest of the list must not be taken as delivered.
    const reader = spawn('head', ['-c', '10', fifo]);
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = await runCli(['newsletter', 'export', '--format', 'rfc5322', '-o', fifo, '--db', db]);
    await closed;
    expect(r).toEqual({ code: 2, stdout: '', stderr: `consort: cannot write ${fifo}: the reader closed it before the end (check the path and its permissions, or choose another file)\n` });
    writeFileSync(join(dir, 'plain.txt'), 'x');
    for (const [p, why] of [
      [join(dir, 'plain.txt', 'list.txt'), 'a part of the path is not a directory'],
      [join(dir, 'n'.repeat(300)), 'the name is too long'],
    ] as const) {
      expect(await runCli(['newsletter', 'export', '-o', p, '--db', db])).toEqual({ code: 2, stdout: '', stderr: `consort: cannot write ${p}: ${why} (check the path and its permissions, or choose another file)\n` });
    }
    expect(await exports()).toBe(0);
  });

  test('-o with an empty file name is a usage error, not stdout', async () => {
    const { db } = await dbWithPeople([{ name: 'A', email: 'a@example.org', status: 'member' }]);
    expect(await runCli(['newsletter', 'export', '-o', '', '--db', db])).toEqual({ code: 2, stdout: '', stderr: 'consort: -o needs a file name (leave -o out to write to stdout)\n' });
  });

  test('-o into a missing directory is a usage error and writes nothing', async () => {
    const { db, dir } = await dbWithPeople([{ name: 'A', email: 'a@example.org', status: 'member' }]);
    const r = await runCli(['newsletter', 'export', '-o', join(dir, 'nope', 'list.txt'), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^consort: cannot write .*directory .* does not exist/);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  test('an unknown --format names the allowed ones', async () => {
    const { db } = await dbWithPeople([{ name: 'A', email: 'a@example.org' }]);
    const r = await runCli(['newsletter', 'export', '--format', 'xml', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lines, rfc5322, csv, json, ndjson');
  });
});

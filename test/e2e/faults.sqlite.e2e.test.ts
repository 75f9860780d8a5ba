/** End-to-end faults: a full disk for stdout and for an output file; one line, its exit code, nothing partial left. */
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, consort } from '../helpers/e2e.js';
import { execAt, rowsAt, tempDir } from '../helpers/db.js';

const ENV = { PATH: process.env.PATH ?? '', HOME: '/tmp', CONSORT_ACTOR: 'e2e', CONSORT_NOW: '2026-03-01T10:00:00Z' };

async function dbWithList() {
  const dir = tempDir();
  const db = join(dir, 'c.db');
  await consort(['init', '--db', db]);
  const file = join(dir, 'p.csv');
  writeFileSync(file, 'name,email,status\n' + Array.from({ length: 5000 }, (_, i) => `Person ${i},p${i}@example.org,member`).join('\n') + '\n');
  await consort(['member', 'import', file, '--db', db]);
  return { dir, db };
}

/**
 * What this machine lets the tests do, found when the file is collected: mounting a small tmpfs
 * (root), and making a file immutable (root, on a file system with attributes). A test that needs
 * one and cannot have it reports itself skipped: it never passes without asserting.
 */
function canMount(): boolean {
  const dir = tempDir();
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]).status !== 0) return false;
  spawnSync('umount', [dir]);
  return true;
}
function canChattr(): boolean {
  const file = join(tempDir(), 'probe');
  writeFileSync(file, '');
  if (spawnSync('chattr', ['+i', file]).status !== 0) return false;
  spawnSync('chattr', ['-i', file]);
  return true;
}
const withMount = canMount() ? test : test.skip;
const withChattr = canChattr() ? test : test.skip;

/** bin/consort with `args`, quoted for sh. */
const shellConsort = (args: string) => `'${process.execPath}' '${BIN}' ${args}`;

const exportsRecorded = async (db: string) => (JSON.parse((await consort(['audit', 'list', '--format', 'json', '--db', db])).stdout) as Array<{ command: string }>).filter((e) => e.command === 'newsletter export').length;

test('stdout on a full disk (/dev/full): exit 8, one line, no stack trace, nothing recorded as exported', async () => {
  const { db } = await dbWithList();
  const full = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [BIN, 'newsletter', 'export', '--db', db], { env: ENV, stdio: ['ignore', full, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const code = await new Promise((r) => child.on('close', r));
  closeSync(full);
  expect(code).toBe(8);
  expect(stderr).toBe('consort: cannot write standard output: disk full (free some space and run the command again)\n');
  expect(await exportsRecorded(db)).toBe(0);
});

test('--version on a full disk and into a closed pipe: as any command, exit 8 with one line, and exit 0', () => {
  // bin/consort writes the version to file descriptor 1 itself; what it cannot write, the whole command line answers.
  const full = openSync('/dev/full', 'w');
  const r = spawnSync(process.execPath, [BIN, '--version'], { env: ENV, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
  closeSync(full);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 8, stderr: 'consort: cannot write standard output: disk full (free some space and run the command again)\n' });
  // A reader gone before the version is written: EPIPE, which is no error.
  const piped = spawnSync('sh', ['-c', `exec 3>&1; { sleep 0.2; ${shellConsort('--version')}; echo "status $?" >&3; } | true`], { env: ENV, encoding: 'utf8' });
  expect({ stdout: piped.stdout, stderr: piped.stderr }).toEqual({ stdout: 'status 0\n', stderr: '' });
});

// Off a terminal, bin/consort writes its data straight to file descriptor 1 (Streams.writeStdout).
test('data into a pipe: whole; a reader that stops early is exit 0, with nothing on stderr', async () => {
  const { db } = await dbWithList();
  const list = shellConsort(`member list --format json --db '${db}'`);
  const whole = spawnSync('sh', ['-c', `${list} | cat`], { env: ENV, encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(JSON.parse(whole.stdout)).toHaveLength(5000);
  const early = spawnSync('sh', ['-c', `exec 3>&1; { ${list}; echo "status $?" >&3; } | head -c 10 >/dev/null`], { env: ENV, encoding: 'utf8' });
  expect({ stdout: early.stdout, stderr: early.stderr }).toEqual({ stdout: 'status 0\n', stderr: '' });
  // A list read a page at a time, its query still open when the reader goes.
  const disclosures = shellConsort(`disclosures list --format csv --db '${db}'`);
  expect(spawnSync('sh', ['-c', `${disclosures} | wc -l`], { env: ENV, encoding: 'utf8' }).stdout.trim()).toBe('10001');
  const stopped = spawnSync('sh', ['-c', `exec 3>&1; { ${disclosures}; echo "status $?" >&3; } | head -n 2 >/dev/null`], { env: ENV, encoding: 'utf8' });
  expect({ stdout: stopped.stdout, stderr: stopped.stderr }).toEqual({ stdout: 'status 0\n', stderr: '' });
});

/**
 * A pipe its writer left non-blocking: node makes its children's standard streams blocking, so the
 * parent here is Python, which does not. The list (1 MB) fills the pipe while the reader waits.
 */
const hasPython = spawnSync('python3', ['--version']).status === 0;
(hasPython ? test : test.skip)('data into a full pipe left non-blocking: every byte arrives, once, in order', async () => {
  const { db } = await dbWithList();
  const parent = [
    'import os, subprocess, sys, time',
    'r, w = os.pipe()',
    'os.set_blocking(w, False)',
    'child = subprocess.Popen(sys.argv[1:], stdout=w)',
    'os.close(w)',
    'time.sleep(0.5)',
    'data = b""',
    'while chunk := os.read(r, 65536): data += chunk',
    'sys.stdout.buffer.write(data)',
    'sys.exit(child.wait())',
  ].join('\n');
  const r = spawnSync('python3', ['-c', parent, process.execPath, BIN, 'member', 'list', '--format', 'json', '--db', db], { env: ENV, encoding: 'utf8', maxBuffer: 1 << 26 });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  const members = JSON.parse(r.stdout) as Array<{ email: string }>;
  expect(members.map((m) => m.email)).toEqual(Array.from({ length: 5000 }, (_, i) => `p${i}@example.org`));
});

/**
 * Runs `body` on a 16 KB file system mounted in `dir`, unmounted after. Mounting needs root, which
 * CI and these machines have; elsewhere the tests that need it are skipped (withMount), and the
 * stdout test above covers the full disk with /dev/full.
 */
async function onSmallFileSystem(dir: string, body: (mnt: string) => Promise<void> | void) {
  const mnt = join(dir, 'small');
  mkdirSync(mnt);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mnt]).status === 0;
  try {
    expect(mounted).toBe(true);
    await body(mnt);
  } finally {
    if (mounted) spawnSync('umount', [mnt]);
  }
}

withMount('stdout into a file on a full file system: exit 8, one line', async () => {
  const { dir, db } = await dbWithList();
  await onSmallFileSystem(dir, (mnt) => {
    const r = spawnSync('sh', ['-c', `${shellConsort(`member list --format json --db '${db}'`)} > '${join(mnt, 'list.json')}'`], { env: ENV, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 8, stderr: 'consort: cannot write standard output: disk full (free some space and run the command again)\n' });
  });
});

withMount('an output file on a full file system: exit 8, one line, no partial or temporary file', async () => {
  const { dir, db } = await dbWithList();
  await onSmallFileSystem(dir, async (mnt) => {
    const r = await consort(['newsletter', 'export', '-o', join(mnt, 'list.txt'), '--db', db]);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/^consort: cannot write .*list\.txt: disk full \(free some space; nothing was written\)\n$/);
    expect(readdirSync(mnt)).toEqual([]);
    expect(await exportsRecorded(db)).toBe(0);
  });
});

withChattr('a read-only database file: writes exit 8 with one line, reads still work', async () => {
  const { db } = await dbWithList();
  // Root ignores file modes, so make the file immutable (ext4 and most file systems; CI runs as root).
  expect(spawnSync('chattr', ['+i', db]).status).toBe(0);
  try {
    const w = await consort(['member', 'add', '--name', 'X', '--email', 'x@example.org', '--db', db]);
    expect(w.code).toBe(8);
    expect(w.stderr).toMatch(/^consort: database .* is read-only \(check the permissions of the file and its directory\)\n$/);
    const r = await consort(['member', 'list', '--format', 'json', '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(5000);
  } finally {
    spawnSync('chattr', ['-i', db]);
  }
});

const corrupt = (db: string) => `consort: database ${db} is corrupt or not a consort database (restore it from a backup)\n`;

test('a truncated database file: exit 8, one line', async () => {
  const { db } = await dbWithList();
  const { truncateSync } = await import('node:fs');
  await consort(['db', 'check', '--db', db]); // checkpoints the WAL into the file
  truncateSync(db, 8192);
  for (const s of ['-wal', '-shm']) spawnSync('rm', ['-f', db + s]);
  const r = await consort(['member', 'list', '--db', db]);
  expect(r.code).toBe(8);
  expect(r.stderr).toBe(corrupt(db));
});

test('a database with garbage inside its pages: reads, exports and db check exit 8 with one line, and no output file is left', async () => {
  const { dir, db } = await dbWithList();
  await consort(['db', 'check', '--db', db]); // checkpoints the WAL into the file
  for (const s of ['-wal', '-shm']) spawnSync('rm', ['-f', db + s]);
  // Overwrite the middle of every 50th page after the first 200 with pseudo-random bytes (the header and schema stay intact).
  const { openSync: open, writeSync, fstatSync } = await import('node:fs');
  const fd = open(db, 'r+');
  let seed = 1;
  const garbage = Buffer.alloc(3000);
  for (let page = 200; page * 4096 < fstatSync(fd).size; page += 50) {
    for (let i = 0; i < garbage.length; i++) garbage[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    writeSync(fd, garbage, 0, garbage.length, page * 4096 + 100);
  }
  closeSync(fd);
  const out = join(dir, 'list.txt');
  for (const args of [['member', 'list'], ['newsletter', 'export', '-o', out], ['db', 'check']]) {
    const r = await consort([...args, '--db', db]);
    expect(r.code).toBe(8);
    expect(r.stderr).toBe(corrupt(db));
  }
  expect(readdirSync(dir).filter((f) => f.startsWith('list'))).toEqual([]);
});

test('a database from a newer consort: exit 8, one line saying to upgrade, nothing changed', async () => {
  const { db } = await dbWithList();
  await execAt(db, "insert into kysely_migration (name, timestamp) values ('9999-future', '2030-01-01')");
  for (const args of [['member', 'list'], ['member', 'add', '--name', 'X', '--email', 'x@example.org'], ['db', 'migrate']]) {
    const r = await consort([...args, '--db', db]);
    expect(r.code).toBe(8);
    expect(r.stderr).toBe(`consort: database ${db} was written by a newer consort (schema 9999-future) (upgrade consort to use it)\n`);
  }
  expect(await rowsAt(db, "select id from person where email = 'x@example.org'")).toEqual([]);
});

withChattr('a database directory without write permission: exit 8, one line naming the database', async () => {
  const dir = tempDir();
  const sub = join(dir, 'locked');
  mkdirSync(sub);
  const db = join(sub, 'c.db');
  await consort(['init', '--db', db]);
  // Root ignores directory modes, so make the directory immutable (CI runs as root).
  expect(spawnSync('chattr', ['+i', sub]).status).toBe(0);
  try {
    // WAL needs its -wal and -shm files beside the database: without them SQLite cannot open it at all.
    const r = await consort(['member', 'add', '--name', 'X', '--email', 'x@example.org', '--db', db]);
    expect(r.code).toBe(8);
    expect(r.stderr).toBe(`consort: cannot open or write the database ${db}: unable to open database file (check the path and its permissions)\n`);
  } finally {
    spawnSync('chattr', ['-i', sub]);
  }
});

/**
 * End-to-end tests: the real bin/consort (the built dist/ bundle) run as a child
 * process, with pipes for stdin, stdout and stderr (so never a terminal).
 * Every test passes --db explicitly; the helper fixes CONSORT_NOW and CONSORT_ACTOR.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, consort, expectNoStack, expectOneLineError, lines, mode, type SpawnResult } from '../helpers/e2e.js';
import { newDatabase, onPostgres, PG, shown, tempDir } from '../helpers/db.js';

const HEADER = 'name,email,organization,status,newsletter';

/** A new, initialised database in its own temporary directory. */
async function initDb(): Promise<{ db: string; dir: string }> {
  const dir = tempDir();
  const db = await newDatabase(dir, 'consort.db');
  const r = await consort(['init', '--db', db]);
  expect(r.code).toBe(0);
  return { db, dir };
}

async function run(db: string, args: string[], opts: { input?: string } = {}): Promise<SpawnResult> {
  return consort([...args, '--db', db], opts);
}

/** `member list --format json`, as objects. */
async function people(db: string): Promise<Array<{ email: string; name: string; status: string; organisation: string | null }>> {
  const r = await run(db, ['member', 'list', '--format', 'json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

/** `newsletter export` (lines format), as addresses. */
async function newsletter(db: string): Promise<string[]> {
  const r = await run(db, ['newsletter', 'export']);
  expect(r.code).toBe(0);
  expectNoStack(r);
  return lines(r.stdout);
}

describe('version', () => {
  test('--version and -V print the version of package.json and nothing else, and --help still lists the commands', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) expect(await consort([flag])).toEqual({ code: 0, signal: null, stdout: `${pkg.version}\n`, stderr: '' });
    const help = await consort(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: consort /);
    expect(help.stdout).toContain('member');
  });
});

describe('missing database (SPEC 4: never created implicitly)', () => {
  test('member list on a missing file exits 8, names the path and consort init, and creates nothing', async () => {
    const root = tempDir();
    const db = onPostgres ? `${PG}/consort_missing` : join(root, 'x', 'missing.db');
    const r = await consort(['member', 'list', '--db', db]);
    expectOneLineError(r, 8);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(await shown(db));
    expect(r.stderr).toContain('consort init');
    expect(existsSync(db)).toBe(false);
    expect(existsSync(join(root, 'x'))).toBe(false);
  });

  test('newsletter export -o on a missing database exits 8 and writes no list (a cron typo never exports an empty list)', async () => {
    const root = tempDir();
    const db = onPostgres ? `${PG}/consort_missing` : join(root, 'missing.db');
    const out = join(root, 'list.txt');
    const r = await consort(['newsletter', 'export', '-o', out, '--db', db]);
    expectOneLineError(r, 8);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(await shown(db));
    expect(r.stderr).toContain('consort init');
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('member add', () => {
  test('P6: adds a member (newsletter and directory by membership terms) and a contact (P1: no newsletter unless asked)', async () => {
    const { db } = await initDb();
    const m = await run(db, ['member', 'add', '--name', 'Ada Lovelace', '--email', 'Ada@Example.org', '--org', 'Example University', '--status', 'member']);
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ name: 'Ada Lovelace', email: 'Ada@Example.org', status: 'member', organisation: 'Example University' });
    expect(m.stderr).toContain('created organisation Example University');
    expect(m.stderr).toMatch(/added member Ada@Example\.org \(granted newsletter, directory\)/);
    expectNoStack(m);

    const c = await run(db, ['member', 'add', '--name', 'Alan Turing', '--email', 'alan@example.org']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ name: 'Alan Turing', email: 'alan@example.org', status: 'contact', organisation: null });
    expect(c.stderr).toContain('added contact alan@example.org');
    expect(c.stderr).not.toContain('granted');
    expectNoStack(c);

    const show = await run(db, ['member', 'show', 'ada@example.org']);
    expect(show.code).toBe(0);
    const consents = (JSON.parse(show.stdout) as { consents: Array<{ purpose: string; state: string; basis: string }> }).consents;
    expect(consents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purpose: 'newsletter', state: 'grant', basis: 'membership-terms' }),
        expect.objectContaining({ purpose: 'directory', state: 'grant', basis: 'membership-terms' }),
      ]),
    );
    expect((await people(db)).map((p) => p.email)).toEqual(['Ada@Example.org', 'alan@example.org']);
    expect(await newsletter(db)).toEqual(['Ada@Example.org']);
  });

  test('without --email and stdin not a terminal: exit 2 naming --email, no prompt, nothing added', async () => {
    const { db } = await initDb();
    const started = Date.now();
    const r = await run(db, ['member', 'add', '--name', 'No Address']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expectOneLineError(r, 2);
    expect(r.stderr).toContain('--email');
    // No prompt was drawn: nothing at all on stdout, and no escape sequences anywhere.
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\x1b/);
    expect(await people(db)).toEqual([]);
  });
});

describe('member import', () => {
  test('a good CSV file: adds everyone in one go; P6 members and P1 contacts who said yes get the newsletter', async () => {
    const { db, dir } = await initDb();
    const file = join(dir, 'people.csv');
    writeFileSync(file, [HEADER, 'Ada,ada@example.org,Org A,member,', 'Bob,bob@example.org,,contact,yes', 'Cid,cid@example.org,Org A,contact,no', 'Dee,dee@example.org,,,'].join('\n') + '\n');
    const r = await run(db, ['member', 'import', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/added 4 \(4 rows, csv\)/);
    expectNoStack(r);

    const list = await people(db);
    expect(list.map((p) => [p.email, p.status, p.organisation])).toEqual([
      ['ada@example.org', 'member', 'Org A'],
      ['bob@example.org', 'contact', null],
      ['cid@example.org', 'contact', 'Org A'],
      ['dee@example.org', 'contact', null],
    ]);
    expect(await newsletter(db)).toEqual(['ada@example.org', 'bob@example.org']);
  });

  test('a file with bad rows: exit 4, every bad row as FILE:LINE: field: reason, and nothing written', async () => {
    const { db, dir } = await initDb();
    const auditBefore = JSON.parse((await run(db, ['audit', 'list', '--format', 'json'])).stdout) as unknown[];
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      [
        HEADER,
        'Ada,ada@example.org,Org A,member,yes', // 2: good
        ',bob@example.org,,contact,yes', // 3: name missing
        'Cid,not-an-email,,contact,no', // 4: bad email
        'Dan,dan@example.org,,alien,maybe', // 5: bad status and bad newsletter
        'Eve,ADA@example.org,,contact,', // 6: the same address as line 2
        'Fay,fay@example.org,,contact,no', // 7: good
      ].join('\n') + '\n',
    );
    const r = await run(db, ['member', 'import', file]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expectNoStack(r);
    const err = lines(r.stderr);
    for (const l of err) expect(l.startsWith('consort: ')).toBe(true);
    const problems = err.filter((l) => l.startsWith(`consort: ${file}:`));
    const at = (line: number, field: string) => problems.filter((l) => l.startsWith(`consort: ${file}:${line}: ${field}: `));
    expect(at(3, 'name')).toHaveLength(1);
    expect(at(4, 'email')).toHaveLength(1);
    expect(at(4, 'email')[0]).toMatch(/: email: \S/);
    expect(at(5, 'status')).toHaveLength(1);
    expect(at(5, 'newsletter')).toHaveLength(1);
    expect(at(5, 'newsletter')[0]).toContain('maybe');
    expect(at(6, 'email')).toHaveLength(1);
    expect(at(6, 'email')[0]).toMatch(/line 2/);
    // Only the bad lines are reported, each as FILE:LINE: field: reason.
    const fileRe = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const l of problems) expect(l).toMatch(new RegExp(`^consort: ${fileRe}:[3-6]: [a-z]+: \\S.*$`));
    expect(err[err.length - 1]).toMatch(/4 rows .*could not be imported; nothing was written/);

    // Nothing written: no people, no organisation created by the good row, no audit entry.
    expect(await people(db)).toEqual([]);
    expect(JSON.parse((await run(db, ['org', 'list', '--format', 'json'])).stdout)).toEqual([]);
    expect(JSON.parse((await run(db, ['audit', 'list', '--format', 'json'])).stdout)).toHaveLength(auditBefore.length);
  });

  test('--dry-run prints [ADD] and [SKIP] per row on stdout and writes nothing', async () => {
    const { db, dir } = await initDb();
    expect((await run(db, ['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member'])).code).toBe(0);
    const file = join(dir, 'people.csv');
    writeFileSync(file, [HEADER, 'Ada Again,ADA@example.org,,member,', 'Bob,bob@example.org,Org B,contact,yes', 'Cid,cid@example.org,,member,'].join('\n') + '\n');
    const r = await run(db, ['member', 'import', file, '--dry-run']);
    expect(r.code).toBe(0);
    expectNoStack(r);
    const out = lines(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\[SKIP\] line 2: ADA@example\.org\b/);
    expect(out[1]).toMatch(/^\[ADD\] line 3: bob@example\.org\b/);
    expect(out[2]).toMatch(/^\[ADD\] line 4: cid@example\.org\b/);
    expect(r.stderr).toMatch(/dry run, nothing written/);

    expect((await people(db)).map((p) => [p.email, p.name])).toEqual([['ada@example.org', 'Ada']]);
    expect(JSON.parse((await run(db, ['org', 'list', '--format', 'json'])).stdout)).toEqual([]);
    expect(await newsletter(db)).toEqual(['ada@example.org']);
  });

  test("reads standard input with '-': CSV, and NDJSON recognised by its first byte", async () => {
    const { db } = await initDb();
    const csv = await run(db, ['member', 'import', '-'], { input: `\uFEFF${HEADER}\r\nAda,ada@example.org,,member,\r\nBob,bob@example.org,,contact,yes\r\n` });
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('');
    expect(csv.stderr).toMatch(/added 2 \(2 rows, csv\)/);
    expectNoStack(csv);

    const nd = await run(db, ['member', 'import', '-'], { input: '{"name":"Cid","email":"cid@example.org","status":"member"}\n{"name":"Dee","email":"dee@example.org","newsletter":false}\n' });
    expect(nd.code).toBe(0);
    expect(nd.stderr).toMatch(/added 2 \(2 rows, ndjson\)/);
    expectNoStack(nd);

    expect((await people(db)).map((p) => [p.email, p.status])).toEqual([
      ['ada@example.org', 'member'],
      ['bob@example.org', 'contact'],
      ['cid@example.org', 'member'],
      ['dee@example.org', 'contact'],
    ]);
    expect(await newsletter(db)).toEqual(['ada@example.org', 'bob@example.org', 'cid@example.org']);
  });
});

describe('imports never re-subscribe', () => {
  test('P6: a member who withdrew the newsletter stays off it after re-import with newsletter=yes, skipped or --on-duplicate update', async () => {
    const { db, dir } = await initDb();
    expect((await run(db, ['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member'])).code).toBe(0);
    expect((await run(db, ['member', 'add', '--name', 'Zed', '--email', 'zed@example.org', '--status', 'member'])).code).toBe(0);

    const w = await run(db, ['consent', 'withdraw', 'ADA@example.org', 'newsletter']);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain('withdrew newsletter for ada@example.org');
    expectNoStack(w);
    expect(await newsletter(db)).toEqual(['zed@example.org']);

    const file = join(dir, 'again.csv');
    writeFileSync(file, [HEADER, 'Ada Renamed,Ada@Example.org,New Org,member,yes'].join('\n') + '\n');
    const skip = await run(db, ['member', 'import', file]);
    expect(skip.code).toBe(0);
    expect(skip.stderr).toMatch(/skipped 1/);
    expectNoStack(skip);
    expect(await newsletter(db)).toEqual(['zed@example.org']);

    const upd = await run(db, ['member', 'import', file, '--on-duplicate', 'update']);
    expect(upd.code).toBe(0);
    expect(upd.stderr).toMatch(/updated 1/);
    expectNoStack(upd);
    const list = await newsletter(db);
    expect(list).toEqual(['zed@example.org']);
    expect(list.join('\n').toLowerCase()).not.toContain('ada@example.org');

    // The update changed the name and organisation, never the consent.
    const show = await run(db, ['member', 'show', 'ada@example.org']);
    expect(show.code).toBe(0);
    const p = JSON.parse(show.stdout) as { name: string; organisation: string | null; consents: Array<{ purpose: string; state: string }> };
    expect(p).toMatchObject({ name: 'Ada Renamed', organisation: 'New Org' });
    expect(p.consents.find((c) => c.purpose === 'newsletter')?.state).toBe('withdraw');
  });

  test('P1: a contact who withdrew stays off the newsletter after re-import with newsletter=yes (skip and --on-duplicate update)', async () => {
    const { db, dir } = await initDb();
    expect((await run(db, ['member', 'add', '--name', 'Bob', '--email', 'bob@example.org', '--newsletter'])).code).toBe(0);
    expect(await newsletter(db)).toEqual(['bob@example.org']);
    expect((await run(db, ['consent', 'withdraw', 'bob@example.org', 'newsletter'])).code).toBe(0);
    expect(await newsletter(db)).toEqual([]);

    const file = join(dir, 'again.csv');
    writeFileSync(file, [HEADER, 'Bob,BOB@example.org,,contact,yes', 'Newcomer,new@example.org,,contact,yes'].join('\n') + '\n');
    expect((await run(db, ['member', 'import', file])).code).toBe(0);
    expect(await newsletter(db)).toEqual(['new@example.org']);
    expect((await run(db, ['member', 'import', file, '--on-duplicate', 'update'])).code).toBe(0);
    expect(await newsletter(db)).toEqual(['new@example.org']);
  });
});

describe('exit codes (SPEC 4)', () => {
  test('unknown command and unknown option: exit 2, one consort: line', async () => {
    const { db } = await initDb();
    const cmd = await run(db, ['frobnicate']);
    expectOneLineError(cmd, 2);
    expect(cmd.stdout).toBe('');
    expect(cmd.stderr).toContain("unknown command 'frobnicate'");

    const opt = await run(db, ['member', 'list', '--frobnicate']);
    expectOneLineError(opt, 2);
    expect(opt.stdout).toBe('');
    expect(opt.stderr).toContain("unknown option '--frobnicate'");
  });

  test('a mistyped command or option that earns a suggestion is still one line on stderr, exit 2', async () => {
    const { db } = await initDb();
    const cmd = await run(db, ['membr', 'list']);
    expect(cmd.stderr).toContain("unknown command 'membr'");
    expectOneLineError(cmd, 2);

    const opt = await run(db, ['member', 'list', '--limt', '3']);
    expect(opt.stderr).toContain("unknown option '--limt'");
    expectOneLineError(opt, 2);
  });

  test('member show of an unknown address: exit 5', async () => {
    const { db } = await initDb();
    const r = await run(db, ['member', 'show', 'nobody@example.org']);
    expectOneLineError(r, 5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nobody@example.org');
  });

  test('duplicate member add (any case): exit 6, the first one kept', async () => {
    const { db } = await initDb();
    expect((await run(db, ['member', 'add', '--name', 'Ada', '--email', 'ada@example.org'])).code).toBe(0);
    const r = await run(db, ['member', 'add', '--name', 'Other Ada', '--email', 'ADA@example.org']);
    expectOneLineError(r, 6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/already exists/);
    expect((await people(db)).map((p) => p.name)).toEqual(['Ada']);
  });

  test('invalid email: exit 4, names the address, nothing added', async () => {
    const { db } = await initDb();
    const r = await run(db, ['member', 'add', '--name', 'Bad', '--email', 'bad@@example']);
    expectOneLineError(r, 4, { hint: false });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad@@example');
    expect(await people(db)).toEqual([]);
  });

  test('invalid email: the message also says what to do, `consort: <what went wrong> (<what to do>)`', async () => {
    const { db } = await initDb();
    const r = await run(db, ['member', 'add', '--name', 'Bad', '--email', 'bad@@example']);
    expectOneLineError(r, 4);
  });

  test('audit verify on a fresh database: exit 0, chain ok', async () => {
    const { db } = await initDb();
    const r = await run(db, ['audit', 'verify']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as { ok: boolean; entries: number };
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThanOrEqual(1); // init is audited
    expect(r.stderr).toBe('');
  });
});

describe('newsletter export -o (atomic file)', () => {
  test('writes the whole list to FILE, mode 0600, replacing an older file, leaving no temporary file', async () => {
    const { db } = await initDb();
    expect((await run(db, ['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member'])).code).toBe(0);
    expect((await run(db, ['member', 'add', '--name', 'Bob', '--email', 'bob@example.org', '--newsletter'])).code).toBe(0);
    expect((await run(db, ['member', 'add', '--name', 'Cid', '--email', 'cid@example.org'])).code).toBe(0);

    const outDir = tempDir();
    const out = join(outDir, 'list.txt');
    writeFileSync(out, 'stale@example.org\n');
    chmodSync(out, 0o644);
    const r = await run(db, ['newsletter', 'export', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`exported 2 newsletter recipients to ${out}`);
    expectNoStack(r);
    expect(readFileSync(out, 'utf8')).toBe('ada@example.org\nbob@example.org\n');
    expect(mode(out)).toBe(0o600);
    expect(readdirSync(outDir)).toEqual(['list.txt']);
    expect(readdirSync(outDir).filter((f) => /^\..*\.tmp$/.test(f))).toEqual([]);
  });

  test('-o into a missing directory: a clear one-line error, no directory, no file, no temporary file', async () => {
    const { db } = await initDb();
    expect((await run(db, ['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member'])).code).toBe(0);
    const root = tempDir();
    const out = join(root, 'nope', 'list.txt');
    const r = await run(db, ['newsletter', 'export', '-o', out]);
    expectOneLineError(r, 2);
    expect(r.stderr).toBe(`consort: cannot write ${out}: directory ${join(root, 'nope')} does not exist (create it first, or choose another file)\n`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(out);
    expect(r.stderr).toMatch(/does not exist/);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('--help', () => {
  test('documents every exit code', async () => {
    const r = await consort(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: consort/);
    expect(r.stdout).toContain('Exit codes:');
    const table: Array<[number, RegExp]> = [
      [0, /success/],
      [1, /internal error/],
      [2, /usage error/],
      [3, /check found problems/],
      [4, /invalid input/],
      [5, /not found/],
      [6, /conflict/],
      [7, /privacy policy/],
      [8, /database/],
    ];
    for (const [code, meaning] of table) {
      const row = r.stdout.split('\n').find((l) => new RegExp(`^\\s+${code}\\s+\\S`).test(l));
      expect(row).toBeDefined();
      expect(row).toMatch(meaning);
    }
  });
});

describe('only the invoked command is built (start-up speed), with the same behaviour', () => {
  test('global options before the command, in both spellings, still reach it', async () => {
    const { db } = await initDb();
    expect((await consort(['member', 'add', '--db', db, '--name', 'Ada Example', '--email', 'ada@example.org', '--status', 'member'])).code).toBe(0);
    for (const argv of [
      ['--db', db, '--format', 'json', '-q', 'member', 'show', 'ada@example.org'],
      [`--db=${db}`, '--format=json', '--actor', 'x', 'member', 'show', 'ada@example.org'],
    ]) {
      const r = await consort(argv);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).email).toBe('ada@example.org');
    }
  });

  test('--help lists every top-level command, and a group help lists its subcommands', async () => {
    const top = await consort(['--help']);
    const listed = top.stdout.split('\n').map((l) => /^ {2}([a-z]+)\b/.exec(l)?.[1]).filter(Boolean);
    for (const name of ['init', 'demo', 'db', 'config', 'org', 'member', 'consent', 'activity', 'document', 'credits', 'newsletter', 'directory', 'announce', 'disclose', 'disclosures', 'notice', 'research', 'policy', 'audit']) {
      expect(listed).toContain(name);
    }
    const member = await consort(['--db', '/nowhere', 'member', '--help']);
    expect(member.code).toBe(0);
    for (const sub of ['add', 'import', 'list', 'show', 'update', 'report', 'erase']) expect(member.stdout).toMatch(new RegExp(`^  ${sub}\\b`, 'm'));
  });

  test('a mistyped command still earns a suggestion from the whole list', async () => {
    const r = await consort(['membr', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/member/);
  });
});

describe('-o names of descriptors already open', () => {
  test('-o /dev/stdout writes through a pipe, and appends to a file opened with >> (what it held stays)', async () => {
    const { db, dir } = await initDb();
    expect((await run(db, ['member', 'add', '--name', 'A', '--email', 'a@example.org', '--newsletter'])).code).toBe(0);
    const piped = await run(db, ['newsletter', 'export', '-o', '/dev/stdout']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('a@example.org\n');
    const log = join(dir, 'log.txt');
    writeFileSync(log, 'old\n');
    const fd = openSync(log, 'a');
    const appended = spawnSync(process.execPath, [BIN, 'newsletter', 'export', '-o', '/dev/stdout', '--db', db], { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, CONSORT_NOW: '2026-03-01T10:00:00Z' } });
    closeSync(fd);
    expect(appended.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('old\na@example.org\n');
  });
});

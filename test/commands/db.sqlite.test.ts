/** The database file itself, SQLite only: where it is, what it is, its mode, its backup. */
import { chmodSync, existsSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/db.js';

async function initialised() {
  const dir = tempDir();
  const path = join(dir, 'c.db');
  expect((await runCli(['init', '--db', path])).code).toBe(0);
  await runCli(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', path]);
  await runCli(['member', 'add', '--name', 'Bo', '--email', 'bo@example.org', '--db', path]);
  return { dir, path };
}

describe('the database file', () => {
  test('P4: init creates the file 0600 in a directory it creates 0700', async () => {
    const dir = tempDir();
    const path = join(dir, 'new', 'nested', 'c.db');
    const r = await runCli(['init', '--db', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(path + '\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new', 'nested')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o700);
    expect((await runCli(['init', '--db', path])).code).toBe(6);
  });

  test('every other command on a missing database exits 8 naming the path and consort init, and creates nothing', async () => {
    const path = join(tempDir(), 'missing.db');
    for (const argv of [['member', 'list'], ['newsletter', 'export'], ['db', 'check'], ['db', 'migrate'], ['config', 'list']]) {
      const r = await runCli([...argv, '--db', path]);
      expect(r.code).toBe(8);
      expect(r.stderr).toBe(`consort: no database at ${path} (create one with consort init, or pass --db PATH)\n`);
    }
    expect(existsSync(path)).toBe(false);
  });

  test('CONSORT_DB and XDG_DATA_HOME locate the database', async () => {
    const dir = tempDir();
    expect((await runCli(['db', 'path'], { env: { CONSORT_DB: join(dir, 'x.db') } })).stdout).toBe(join(dir, 'x.db') + '\n');
    expect((await runCli(['db', 'path'], { env: { XDG_DATA_HOME: dir } })).stdout).toBe(join(dir, 'consort', 'consort.db') + '\n');
    expect((await runCli(['db', 'path'], { env: { HOME: dir } })).stdout).toBe(join(dir, '.local', 'share', 'consort', 'consort.db') + '\n');
  });

  test('a database from a newer consort is refused (exit 8); an older one asks for db migrate', async () => {
    const { path } = await initialised();
    const db = new Database(path);
    db.prepare("insert into kysely_migration (name, timestamp) values ('9999-future', '2030-01-01')").run();
    db.close();
    const newer = await runCli(['member', 'list', '--db', path]);
    expect(newer.code).toBe(8);
    expect(newer.stderr).toMatch(/newer consort .*9999-future.*upgrade consort/);
    expect((await runCli(['db', 'migrate', '--db', path])).code).toBe(8);

    const old = new Database(path);
    old.exec("delete from kysely_migration");
    old.close();
    const older = await runCli(['member', 'list', '--db', path]);
    expect(older.code).toBe(8);
    expect(older.stderr).toMatch(/older schema .*run consort db migrate/);
  });

  test('db migrate refuses a SQLite file that is not a consort database (only init creates one)', async () => {
    const path = join(tempDir(), 'other.db');
    const other = new Database(path);
    other.exec('create table notes (t text)');
    other.close();
    const r = await runCli(['db', 'migrate', '--db', path]);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/is not a consort database .*consort init/);
    const check = new Database(path);
    expect(check.prepare("select count(*) as n from sqlite_master where name = 'person'").get()).toEqual({ n: 0 });
    check.close();
  });

  test('an empty file is not a database: a command leaves it empty (exit 8); init takes it, mode 0600 (P4)', async () => {
    const path = join(tempDir(), 'empty.db');
    writeFileSync(path, '', { mode: 0o644 });
    chmodSync(path, 0o644);
    for (const argv of [['member', 'list'], ['newsletter', 'export']]) {
      const r = await runCli([...argv, '--db', path]);
      expect(r).toMatchObject({ code: 8, stdout: '' });
      expect(r.stderr).toBe(`consort: ${path} is an empty file, not a consort database (create one with consort init)\n`);
    }
    expect(statSync(path).size).toBe(0);
    expect((await runCli(['init', '--db', path])).code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await runCli(['member', 'list', '--db', path])).code).toBe(0);
  });

  test('init refuses a SQLite database of something else (exit 6) and adds nothing to it', async () => {
    const path = join(tempDir(), 'notes.db');
    const other = new Database(path);
    other.exec("create table notes (t text); insert into notes values ('keep me')");
    other.close();
    chmodSync(path, 0o644);
    const before = readFileSync(path);
    const r = await runCli(['init', '--db', path]);
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(`consort: ${path} is a SQLite database of something else (it has tables, none of them consort's) (choose another --db PATH)\n`);
    // Left as it was to the byte: not even switched to WAL, by init or by any other command.
    expect((await runCli(['audit', 'verify', '--db', path])).code).toBe(8);
    expect(readFileSync(path).equals(before)).toBe(true);
    const check = new Database(path);
    expect(check.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([{ name: 'notes' }]);
    check.close();
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  test('--db or CONSORT_DB given but empty is a usage error, never the default database', async () => {
    const dir = tempDir();
    expect((await runCli(['init'], { env: { XDG_DATA_HOME: dir } })).code).toBe(0);
    const flag = await runCli(['newsletter', 'export', '--db', ''], { env: { XDG_DATA_HOME: dir } });
    expect(flag).toEqual({ code: 2, stdout: '', stderr: 'consort: --db is empty (give a path or a postgres:// URL, or leave --db out)\n' });
    const env = await runCli(['member', 'list'], { env: { XDG_DATA_HOME: dir, CONSORT_DB: '' } });
    expect(env).toEqual({ code: 2, stdout: '', stderr: 'consort: CONSORT_DB is set but empty (give it a path or a postgres:// URL, or unset it)\n' });
    expect((await runCli(['member', 'list', '--db', join(dir, 'consort', 'consort.db')], { env: { CONSORT_DB: '' } })).code).toBe(0);
  });

  test('CONSORT_BUSY_TIMEOUT_MS must be a number of milliseconds', async () => {
    const { path } = await initialised();
    const r = await runCli(['member', 'list', '--db', path], { env: { CONSORT_BUSY_TIMEOUT_MS: 'abc' } });
    expect(r).toEqual({ code: 2, stdout: '', stderr: "consort: CONSORT_BUSY_TIMEOUT_MS is not a number of milliseconds: 'abc' (a whole number up to 2147483647, e.g. CONSORT_BUSY_TIMEOUT_MS=10000)\n" });
    expect((await runCli(['member', 'list', '--db', path], { env: { CONSORT_BUSY_TIMEOUT_MS: '2147483648' } })).code).toBe(2);
    expect((await runCli(['member', 'list', '--db', path], { env: { CONSORT_BUSY_TIMEOUT_MS: '250' } })).code).toBe(0);
  });

  test('erasure leaves the name and address nowhere in the database file (free space is overwritten)', async () => {
    const { path } = await initialised();
    await runCli(['member', 'update', 'ada@example.org', '--name', 'Zanzibar Quixote-Marker', '--db', path]);
    expect((await runCli(['member', 'erase', 'ada@example.org', '--reason', 'request', '--yes', '--db', path])).code).toBe(0);
    const bytes = readFileSync(path);
    for (const s of ['Zanzibar Quixote-Marker', 'ada@example.org', 'Ada']) expect(bytes.includes(Buffer.from(s))).toBe(false);
    expect(existsSync(path + '-wal') ? readFileSync(path + '-wal').includes(Buffer.from('Zanzibar')) : false).toBe(false);
    expect(bytes.includes(Buffer.from('bo@example.org'))).toBe(true);
  });

  test('erasure while another process has the database open: the write-ahead log is emptied, or a warning says it could not be', async () => {
    const { path } = await initialised();
    const other = new Database(path);
    try {
      await runCli(['member', 'update', 'ada@example.org', '--name', 'Yolanda Wal-Marker', '--db', path]);
      const erased = await runCli(['member', 'erase', 'ada@example.org', '--reason', 'request', '--yes', '--format', 'json', '--db', path]);
      expect(erased.code).toBe(0);
      expect(JSON.parse(erased.stdout).log_kept).toBe(false);
      for (const f of [path, path + '-wal']) if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from('Yolanda'))).toBe(false);
      // A reader in the middle of a transaction holds the log: the command says so.
      other.exec('begin');
      other.prepare('select count(*) from person').get();
      const held = await runCli(['member', 'erase', 'bo@example.org', '--reason', 'request', '--yes', '--format', 'json', '--db', path]);
      expect(held.code).toBe(0);
      expect(JSON.parse(held.stdout).log_kept).toBe(true);
      expect(held.stderr).toMatch(/warning: another process has the database open: the erased data stays in its write-ahead log until that process closes it/);
      other.exec('commit');
    } finally {
      other.close();
    }
  });

  test('a file that is not a database is exit 8, one line, no stack trace', async () => {
    const path = join(tempDir(), 'garbage.db');
    writeFileSync(path, 'this is not sqlite at all, just text'.repeat(200));
    const r = await runCli(['member', 'list', '--db', path]);
    expect(r.code).toBe(8);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^consort: database .*garbage\.db is corrupt or not a consort database/);
  });

  test('P4: db check warns when the file is readable by others', async () => {
    const { path } = await initialised();
    expect((await runCli(['db', 'check', '--db', path])).stderr).not.toMatch(/readable/);
    chmodSync(path, 0o644);
    const r = await runCli(['db', 'check', '--db', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .* is readable or writable by others \(mode 0644\); chmod 600 it/);
  });

  test('db backup makes a consistent copy and never overwrites', async () => {
    const { dir, path } = await initialised();
    const target = join(dir, 'backup.db');
    const r = await runCli(['db', 'backup', target, '--db', path]);
    expect(r.code).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const list = await runCli(['member', 'list', '--format', 'json', '--db', target]);
    expect(JSON.parse(list.stdout)).toHaveLength(2);
    expect((await runCli(['audit', 'verify', '--db', target])).code).toBe(0);
    expect((await runCli(['db', 'backup', target, '--db', path])).code).toBe(6);
  });

  test('db backup never replaces a link, even one that leads nowhere; a bad name is a usage error', async () => {
    const { dir, path } = await initialised();
    symlinkSync(join(dir, 'planned.db'), join(dir, 'link.db'));
    const linked = await runCli(['db', 'backup', join(dir, 'link.db'), '--db', path]);
    expect(linked.code).toBe(6);
    expect(lstatSync(join(dir, 'link.db')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, 'planned.db'))).toBe(false);
    expect(await runCli(['db', 'backup', '', '--db', path])).toEqual({ code: 2, stdout: '', stderr: 'consort: db backup needs a file name (e.g. consort db backup ./consort-backup.db)\n' });
    writeFileSync(join(dir, 'plain.txt'), 'x');
    const under = await runCli(['db', 'backup', join(dir, 'plain.txt', 'x.db'), '--db', path]);
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/^consort: cannot write .*plain\.txt\/x\.db: directory .*plain\.txt does not exist/);
  });

  test('init on a path it cannot create is exit 8 in one line, not a crash', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain.txt'), 'x');
    symlinkSync(join(dir, 'nowhere.db'), join(dir, 'dangling.db'));
    for (const [p, why] of [
      [join(dir, 'plain.txt', 'x.db'), 'a part of the path is not a directory'],
      [join(dir, 'a'.repeat(300) + '.db'), 'the name is too long'],
      [join(dir, 'dangling.db'), 'it is a symbolic link that leads nowhere'],
    ] as const) {
      const r = await runCli(['init', '--db', p]);
      expect(r).toEqual({ code: 8, stdout: '', stderr: `consort: cannot create the database ${p}: ${why} (check the path and its permissions, or choose another --db PATH)\n` });
    }
    expect(lstatSync(join(dir, 'dangling.db')).isSymbolicLink()).toBe(true);
  });
});

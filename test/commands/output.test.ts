import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase } from '../helpers/db.js';

const EVIL = 'Mallory\x1b[2J\x1b]0;owned\x07\x9b1m';

async function db() {
  const dir = tempDir();
  const path = await newDatabase(dir);
  await runCli(['init', '--db', path]);
  return { dir, path };
}

describe('output conventions', () => {
  test('an escape sequence in a name never reaches a terminal', async () => {
    const { path } = await db();
    // NO_COLOR: our own colour codes would be escapes too; what must not pass is the name's.
    const env = { NO_COLOR: '1' };
    const add = await runCli(['member', 'add', '--name', EVIL, '--email', 'm@example.org', '--db', path], { tty: true, env });
    expect(add.code).toBe(0);
    for (const argv of [['member', 'list'], ['member', 'show', 'm@example.org'], ['member', 'list', '--format', 'tsv'], ['member', 'list', '--format', 'csv']]) {
      const r = await runCli([...argv, '--db', path], { tty: true, env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Mallory');
      expect(r.stdout + add.stderr + r.stderr).not.toMatch(/[\x1b\x07\x9b]/);
    }
  });

  test('an export shown on a terminal is sanitised too', async () => {
    const { path } = await db();
    await runCli(['member', 'add', '--name', EVIL, '--email', 'm@example.org', '--newsletter', '--db', path]);
    const r = await runCli(['newsletter', 'export', '--format', 'csv', '--db', path], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.stdout).toContain('Mallory');
    expect(r.stdout).not.toMatch(/[\x1b\x07\x9b]/);
    const piped = await runCli(['newsletter', 'export', '--format', 'csv', '--db', path]);
    expect(piped.stdout).toContain(EVIL);
  });

  test('piped lists are TSV with a header; JSON is the documented objects', async () => {
    const { path } = await db();
    await runCli(['member', 'add', '--name', 'Tab\tName', '--email', 't@example.org', '--org', 'Org', '--db', path]);
    const tsv = await runCli(['member', 'list', '--db', path]);
    expect(tsv.stdout).toBe('email\tname\tstatus\torganisation\tcreated\nt@example.org\tTab\\tName\tcontact\tOrg\t2026-03-01T10:00:00.000Z\n');
    const json = await runCli(['member', 'list', '--format', 'json', '--db', path]);
    expect(JSON.parse(json.stdout)).toEqual([
      { id: 1, name: 'Tab\tName', email: 't@example.org', status: 'contact', organisation: 'Org', source: 'staff', created_at: '2026-03-01T10:00:00.000Z', updated_at: '2026-03-01T10:00:00.000Z' },
    ]);
  });

  test('no colour when piped, even with a table', async () => {
    const { path } = await db();
    await runCli(['member', 'add', '--name', 'A', '--email', 'a@example.org', '--db', path]);
    const r = await runCli(['member', 'list', '--format', 'table', '--db', path]);
    expect(r.stdout).toContain('a@example.org');
    expect(r.stdout).not.toMatch(/\x1b/);
    const nc = await runCli(['member', 'list', '--format', 'table', '--db', path], { tty: true, env: { NO_COLOR: '1' } });
    expect(nc.stdout).not.toMatch(/\x1b/);
  });

  test('member add without --email off a terminal is a usage error naming the flag', async () => {
    const { path } = await db();
    const r = await runCli(['member', 'add', '--name', 'A', '--db', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('consort: missing --email (pass --email; consort only prompts on a terminal)\n');
  });

  test('errors are one line with a hint, and bad import rows name file, line and field', async () => {
    const { dir, path } = await db();
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'name,email\nA,not-mail\n');
    const r = await runCli(['member', 'import', file, '--db', path]);
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `consort: ${file}:2: email: not an address of the form local@domain`,
      `consort: 1 row of ${file} could not be imported; nothing was written (fix them, or pass --skip-invalid to import the rest)`,
    ]);
  });

  test('CONSORT_NOW must be ISO 8601', async () => {
    const { path } = await db();
    const r = await runCli(['member', 'list', '--db', path], { env: { CONSORT_NOW: 'yesterday' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CONSORT_NOW is not an ISO 8601 time/);
  });

  test('a progress bar on stderr only when stderr is a terminal', async () => {
    const { dir, path } = await db();
    const file = join(dir, 'many.csv');
    writeFileSync(file, 'name,email\n' + Array.from({ length: 2000 }, (_, i) => `P ${i},p${i}@example.org`).join('\n') + '\n');
    const piped = await runCli(['member', 'import', file, '--db', path, '--dry-run']);
    expect(piped.stderr).not.toMatch(/importing|\x1b/);
    const tty = await runCli(['member', 'import', file, '--db', path], { stderrTty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/importing \[/);
    expect(tty.stderr).toContain('added 2000 (2000 rows, csv)');
  });
});

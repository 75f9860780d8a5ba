import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, consort } from '../helpers/e2e.js';
import { tempDir } from '../helpers/db.js';

/**
 * The scripts are sourced in a real shell, which is asked for completions as it would be at a
 * TAB: COMP_WORDS and COMP_CWORD set, the function called, COMPREPLY read. `consort` on PATH is
 * the real bin/consort. (SQLite only: this directory runs once, see jest.config.js.)
 */
const dir = tempDir();
const db = join(dir, 'c.db');
const shim = join(dir, 'bin');
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const withTool = (tool: string) => (has(tool) ? test : test.skip);

beforeAll(async () => {
  spawnSync('mkdir', ['-p', shim]);
  writeFileSync(join(shim, 'consort'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  expect((await consort(['--db', db, 'init'])).code).toBe(0);
  for (const args of [
    ['org', 'add', 'Example University', '--member'],
    ['org', 'add', 'Example Labs'],
    ['document', 'add', 'qti-3', '--title', 'QTI 3'],
    ['document', 'add', 'caliper-2', '--title', 'Caliper 2'],
  ]) expect((await consort(['--db', db, ...args])).code).toBe(0);
});

/** What bash offers for the words typed (the last one being completed), one a line. */
function bashComplete(words: string[], env: Record<string, string> = {}): string[] {
  const script = spawnSync(process.execPath, [BIN, 'completion', 'bash'], { encoding: 'utf8' }).stdout;
  writeFileSync(join(dir, 'consort.bash'), script);
  const program = `source ${JSON.stringify(join(dir, 'consort.bash'))}
COMP_WORDS=(${words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ')})
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_consort
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8', cwd: dir, env: { PATH: `${shim}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash', () => {
  test('commands, subcommands and options come from the commander tree', () => {
    expect(bashComplete(['consort', 'mem'])).toEqual(['member']);
    expect(bashComplete(['consort', 'member', ''])).toEqual(['add', 'import', 'list', 'show', 'update', 'report', 'erase']);
    expect(bashComplete(['consort', 'document', 'participant', ''])).toEqual(['add', 'remove']);
    expect(bashComplete(['consort', 'member', 'import', '--on'])).toEqual(['--on-duplicate']);
    expect(bashComplete(['consort', 'member', 'list', '--d'])).toEqual(['--db']);
  });

  test('option values: choices, statuses, formats of the command, purposes, setting names', () => {
    expect(bashComplete(['consort', 'member', 'import', '--on-duplicate', ''])).toEqual(['fail', 'skip', 'update']);
    expect(bashComplete(['consort', 'member', 'list', '--status', ''])).toEqual(['member', 'contact', 'former']);
    expect(bashComplete(['consort', 'newsletter', 'export', '--format', ''])).toEqual(['lines', 'rfc5322', 'csv', 'json', 'ndjson']);
    expect(bashComplete(['consort', '--format', 'json', 'credits', 'export', '--format', 'c'])).toEqual(['csv', 'cff']);
    expect(bashComplete(['consort', 'consent', 'grant', 'a@example.org', ''])).toEqual(['newsletter', 'directory', 'announcement', 'credit']);
    expect(bashComplete(['consort', 'config', 'set', 'notice-'])).toEqual(['notice-days', 'notice-template']);
    expect(bashComplete(['consort', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(bashComplete(['consort', 'help', 'member', 'im'])).toEqual(['import']);
    expect(bashComplete(['consort', 'help', 'cr'])).toEqual(['credits', 'cron']);
  });

  test('document slugs and organisation names come from the database named by --db or CONSORT_DB', () => {
    expect(bashComplete(['consort', '--db', db, 'document', 'show', ''])).toEqual(['caliper-2', 'qti-3']);
    expect(bashComplete(['consort', 'activity', 'list', '--db', db, '--document', 'q'])).toEqual(['qti-3']);
    expect(bashComplete(['consort', 'org', 'show', 'Example'], { CONSORT_DB: db })).toEqual(['Example\\ Labs', 'Example\\ University']);
    expect(bashComplete(['consort', '--db', db, 'member', 'add', '--org', ''])).toEqual(['Example\\ Labs', 'Example\\ University']);
  });

  test('with no database there is nothing to offer, no error, and no database is created', () => {
    const missing = join(dir, 'nowhere', 'x.db');
    expect(bashComplete(['consort', '--db', missing, 'document', 'show', ''])).toEqual([]);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(dirname(missing))).toBe(false);
    const none = spawnSync(process.execPath, [BIN, '__complete', 'slugs', '--db', missing], { encoding: 'utf8' });
    expect(none).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(existsSync(missing)).toBe(false);
  });

  test('__complete is hidden from help and completion', async () => {
    expect((await consort(['--help'])).stdout).not.toContain('__complete');
    expect(bashComplete(['consort', '__'])).toEqual([]);
  });
});

describe('zsh and fish', () => {
  test('the scripts are built from the same tree', async () => {
    const zsh = (await consort(['completion', 'zsh'])).stdout;
    expect(zsh).toMatch(/^#compdef consort\n/);
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain("'member') echo 'add import list show update report erase'");
    const fish = (await consort(['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c consort -n '__consort_at '\\''member import'\\''' -l on-duplicate -r -a 'fail skip update'");
    expect(fish).toContain('consort __complete slugs');
  });

  withTool('zsh')('zsh parses its script (zsh -n)', async () => {
    writeFileSync(join(dir, '_consort'), (await consort(['completion', 'zsh'])).stdout);
    const r = spawnSync('zsh', ['-n', join(dir, '_consort')], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  withTool('fish')('fish parses its script (fish -n)', async () => {
    writeFileSync(join(dir, 'consort.fish'), (await consort(['completion', 'fish'])).stdout);
    const r = spawnSync('fish', ['-n', join(dir, 'consort.fish')], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test('an unknown shell is a usage error', async () => {
    const r = await consort(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bash, zsh, fish/);
  });
});

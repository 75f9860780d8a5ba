import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../helpers/e2e.js';
import { tempDir } from '../helpers/db.js';

/**
 * Start-up time (SPEC 7): --version and member show load none of the help machinery. dist is
 * CommonJS, so a preloaded hook sees every file the command requires, and every chunk that
 * dist/main.js loads itself (build.mjs, loadChunks) by the file it reads.
 */
const dir = tempDir();
const hook = join(dir, 'trace.cjs');
writeFileSync(hook, `const M = require('module'); const load = M._load; const seen = new Set();
M._load = function (request, parent, isMain) { const r = load.apply(this, arguments); try { seen.add(M._resolveFilename(request, parent, isMain)); } catch {} return r; };
const fs = require('fs'); const read = fs.readFileSync; fs.readFileSync = function (file) { if (typeof file === 'string' && file.endsWith('.js')) seen.add(file); return read.apply(this, arguments); };
process.on('exit', () => require('fs').writeFileSync(process.env.TRACE_OUT, [...seen].join('\\n')));`);

function loaded(args: string[], env: Record<string, string> = {}): string[] {
  const out = join(dir, `trace-${Math.random()}.txt`);
  const r = spawnSync(process.execPath, ['--require', hook, BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, TRACE_OUT: out, ...env } });
  expect(r.status).toBe(0);
  return readFileSync(out, 'utf8').split('\n').filter((f) => f.includes('/dist/'));
}

/** Whether a dist file holds help's code or a guide's text. */
const isHelp = (file: string) => /consort help \$\{|consort-rules\(7\)|_consort_subcommands/.test(readFileSync(file, 'utf8'));

test('help rules loads the guides (the trace sees what a command loads)', () => {
  expect(loaded(['help', 'rules']).filter(isHelp).length).toBeGreaterThan(0);
});

test('--version and member show load no help, topic or completion code', () => {
  const db = join(dir, 'x.db');
  expect(spawnSync(process.execPath, [BIN, '--db', db, 'init']).status).toBe(0);
  expect(spawnSync(process.execPath, [BIN, '--db', db, 'member', 'add', '--name', 'Ada', '--email', 'ada@example.org']).status).toBe(0);
  for (const args of [['--version'], ['--db', db, 'member', 'show', 'ada@example.org']]) {
    expect({ args, help: loaded(args).filter(isHelp) }).toEqual({ args, help: [] });
  }
});

test('member show compiles its chunks from the code cache that the build wrote (build.mjs)', () => {
  const db = join(dir, 'cache.db');
  expect(spawnSync(process.execPath, [BIN, '--db', db, 'init']).status).toBe(0);
  expect(spawnSync(process.execPath, [BIN, '--db', db, 'member', 'add', '--name', 'Ada', '--email', 'ada@example.org']).status).toBe(0);
  // The hook the build's training runs use: it sees each chunk's script, and whether V8 took its cache.
  const hook = join(dir, 'scripts.cjs');
  const out = join(dir, 'scripts.json');
  writeFileSync(hook, `const scripts = (globalThis[Symbol.for('consort.build.scripts')] = []);
process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(scripts.map(([file, s]) => [file, s.cachedDataRejected]))));`);
  const r = spawnSync(process.execPath, ['--require', hook, BIN, '--db', db, 'member', 'show', 'ada@example.org'], { encoding: 'utf8' });
  expect(r.stdout).toContain('ada@example.org');
  const scripts = JSON.parse(readFileSync(out, 'utf8')) as [string, boolean | undefined][];
  expect(scripts.length).toBeGreaterThan(10);
  expect(scripts.filter(([, rejected]) => rejected !== false)).toEqual([]);
});

import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** A database holding one member, Ada, for the tests that run member show. */
const db = join(dir, 'x.db');
beforeAll(() => {
  expect(spawnSync(process.execPath, [BIN, '--db', db, 'init']).status).toBe(0);
  expect(spawnSync(process.execPath, [BIN, '--db', db, 'member', 'add', '--name', 'Ada', '--email', 'ada@example.org']).status).toBe(0);
});

test('--version and member show load no help, topic or completion code', () => {
  for (const args of [['--version'], ['--db', db, 'member', 'show', 'ada@example.org']]) {
    expect({ args, help: loaded(args).filter(isHelp) }).toEqual({ args, help: [] });
  }
});

/** The chunks `member show` loaded with `bin`, each with whether V8 rejected its code cache ('none': there was none). */
function showScripts(bin: string): [string, boolean | 'none'][] {
  // The hook the build's training runs use: it sees each chunk's script, and whether V8 took its cache.
  const hook = join(dir, 'scripts.cjs');
  const out = join(dir, 'scripts.json');
  writeFileSync(hook, `const scripts = (globalThis[Symbol.for('consort.build.scripts')] = []);
process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(scripts.map(([file, s]) => [file, s.cachedDataRejected ?? 'none']))));`);
  const r = spawnSync(process.execPath, ['--require', hook, bin, '--db', db, 'member', 'show', 'ada@example.org'], { encoding: 'utf8' });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  expect(r.stdout).toContain('ada@example.org');
  return JSON.parse(readFileSync(out, 'utf8')) as [string, boolean | 'none'][];
}

test('member show compiles its chunks from the code cache that the build wrote (build.mjs)', () => {
  const scripts = showScripts(BIN);
  expect(scripts.length).toBeGreaterThan(10);
  expect(scripts.filter(([, rejected]) => rejected !== false)).toEqual([]);
});

test('a chunk whose code cache is missing, or not one V8 can use, compiles from its source', () => {
  // A copy of the installed command, its caches spoilt: every other one gone, the rest garbage.
  const root = join(dir, 'copy');
  const from = join(BIN, '..', '..');
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(from, part), join(root, part), { recursive: true });
  symlinkSync(join(from, 'node_modules'), join(root, 'node_modules'));
  const caches = readdirSync(join(root, 'dist', 'chunks')).filter((f) => f.endsWith('.cache'));
  caches.forEach((f, i) => (i % 2 ? rmSync(join(root, 'dist', 'chunks', f)) : writeFileSync(join(root, 'dist', 'chunks', f), 'not a code cache')));
  const scripts = showScripts(join(root, 'bin', 'consort'));
  expect(scripts.length).toBeGreaterThan(10);
  expect(scripts.every(([file]) => file.startsWith(root))).toBe(true);
  expect(new Set(scripts.map(([, rejected]) => rejected))).toEqual(new Set([true, 'none']));
});

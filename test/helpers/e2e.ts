import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/consort', import.meta.url));

export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real bin/consort as a child process (the built dist/ bundle). */
export function consort(
  args: string[],
  opts: { env?: Record<string, string>; input?: string | Buffer; cwd?: string; onStdout?: (chunk: Buffer) => void } = {},
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CONSORT_ACTOR: 'e2e', CONSORT_NOW: '2026-03-01T10:00:00Z', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      opts.onStdout?.(c);
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** A stack frame line such as `    at foo (/x/y.js:1:2)`. */
export const STACK_FRAME = /^\s+at .+:\d+(:\d+)?\)?$/m;

/** The permission bits of a path, e.g. 0o600. */
export const mode = (path: string) => statSync(path).mode & 0o777;

export const lines = (text: string) => text.split('\n').filter((l) => l !== '');

/** stderr never carries a stack trace or an internal-error message (no --verbose in these tests). */
export function expectNoStack(r: SpawnResult) {
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toMatch(/internal error/i);
  expect(r.signal).toBeNull();
}

/** SPEC 4: exit code, and one line on stderr, `consort: <what went wrong> (<what to do>)`. */
export function expectOneLineError(r: SpawnResult, code: number, opts: { hint?: boolean } = {}) {
  expect(r.code).toBe(code);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(lines(r.stderr)).toHaveLength(1);
  expect(r.stderr).toMatch(/^consort: \S/);
  if (opts.hint !== false) expect(r.stderr).toMatch(/^consort: \S.* \(.+\)\n$/);
  expectNoStack(r);
}


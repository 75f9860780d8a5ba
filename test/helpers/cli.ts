import { PassThrough, Readable } from 'node:stream';
import { run } from '../../src/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  /** Pretend stdout is a terminal. */
  tty?: boolean;
  /** Pretend stderr is a terminal (progress bars). */
  stderrTty?: boolean;
}

/** Runs consort in-process with captured stdout, stderr and exit code. */
export async function runCli(argv: string[], opts: CliOptions = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const stdin = Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]) as Readable & { isTTY?: boolean };
  if (opts.tty) Object.assign(stdout, { isTTY: true });
  if (opts.stderrTty) Object.assign(stderr, { isTTY: true, columns: 100 });
  const env = { CONSORT_NOW: '2026-03-01T10:00:00Z', CONSORT_ACTOR: 'tester', HOME: '/nonexistent', ...opts.env };
  const code = await run(argv, { stdin, stdout, stderr, env });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

import { ExitCode, classifyError, ConsortError, InputError, formatProblem } from './errors.js';
import { once } from 'node:events';
import { fstatSync, statSync } from 'node:fs';
import { writeWhole, type Streams } from './io/output.js';

function line(streams: Streams, text: string) {
  streams.stderr.write(text + '\n');
}

/** Turns any error into its one-line message on stderr and its exit code. */
function report(err: unknown, streams: Streams, verbose: boolean): number {
  const e = err as { name?: string; code?: string; exitCode?: number; message?: string; stack?: string };
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') return ExitCode.interrupted;
  if (typeof e?.code === 'string' && e.code.startsWith('commander.')) {
    // commander already printed its message through our outputError; help and version exit 0.
    return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  const known = classifyError(err);
  if (known) {
    // Problems and messages quote outside data: no control character or escape sequence reaches the terminal.
    const oneLine = (text: string) => text.replace(/[\x00-\x1f\x7f]/g, ' ');
    if (known instanceof InputError) for (const p of known.problems) if (p.source || p.line) line(streams, `consort: ${oneLine(formatProblem(p))}`);
    const clean = oneLine(known.message);
    line(streams, `consort: ${clean}${known.hint ? ` (${known.hint})` : ''}`);
    if (verbose && !(known instanceof ConsortError && known.constructor === ConsortError) && e.stack) line(streams, e.stack);
    return known.exitCode;
  }
  line(streams, `consort: internal error: ${String(e?.message ?? err).replace(/[\x00-\x1f\x7f]/g, ' ')} (this is a bug in consort; rerun with --verbose and report it)`);
  if (verbose && e?.stack) line(streams, e.stack);
  return ExitCode.internal;
}

/** Runs consort on argv with the given streams and returns the exit code; never exits the process. */
export async function run(argv: string[], streams: Streams): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const { buildProgram } = await import('./program.js');
    await (await buildProgram(streams, argv, run)).parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    return report(err, streams, verbose);
  }
}

/**
 * What stops stdout ends the command at once, with one line: a reader that stops early (`consort …
 * | head`) is no error; anything else (a full disk) is. Nothing is recorded as exported, since the
 * export's transaction never commits.
 */
function stdoutFailed(err: NodeJS.ErrnoException): never {
  if (err.code === 'EPIPE') process.exit(ExitCode.ok);
  const full = err.code === 'ENOSPC';
  process.stderr.write(`consort: cannot write standard output: ${full ? 'disk full' : err.message} (${full ? 'free some space and run the command again' : 'check where the output goes'})\n`);
  process.exit(full ? ExitCode.database : ExitCode.internal);
}

/**
 * Whether file descriptor 1 is surely no terminal: a file, a pipe, a socket, or /dev/null (a cron
 * job's). Another character device may be one, and asking node's tty module costs what the stream does.
 */
function fd1IsNoTerminal(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() || st.isFIFO() || st.isSocket() || (st.isCharacterDevice() && st.rdev === statSync('/dev/null').rdev);
  } catch {
    return false;
  }
}

/** The process entry point: the only place that ends the process. */
export async function main(): Promise<void> {
  let stdout: NodeJS.WriteStream | undefined;
  // Made at first use, as stdin is: only what needs a stream (a terminal, commander's help) pays for it.
  const stdoutStream = () => (stdout ??= process.stdout.on('error', stdoutFailed));
  // Data written straight to fd 1 (see Streams.writeStdout), whole; once the stream is made,
  // through it, so nothing overtakes what it holds.
  const writeStdout = async (text: string) => {
    if (stdout) {
      if (!stdout.write(text)) await once(stdout, 'drain');
      return;
    }
    await writeWhole(1, Buffer.from(text)).catch(stdoutFailed);
  };
  const streams: Streams = {
    // stdin is opened only by a command that reads it: touching it builds a stream, which costs start-up time.
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return stdoutStream();
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    writeStdout: fd1IsNoTerminal() ? writeStdout : undefined,
  };
  process.exitCode = await run(process.argv.slice(2), streams);
}

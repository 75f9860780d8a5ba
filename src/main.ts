import { ExitCode, classifyError, ConsortError, InputError, formatProblem } from './errors.js';
import type { Streams } from './io/output.js';

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

/** The process entry point: the only place that ends the process. */
export async function main(): Promise<void> {
  // stdin is opened only by a command that reads it: touching it builds a stream, which costs start-up time.
  const streams: Streams = { get stdin() { return process.stdin; }, stdout: process.stdout, stderr: process.stderr, env: process.env };
  // A reader that stops early (`consort ... | head`) is not an error.
  // Anything else that stops stdout (a full disk) ends the command at once, with one line: nothing is
  // recorded as exported, since the export's transaction never commits.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(ExitCode.ok);
    const full = err.code === 'ENOSPC';
    process.stderr.write(`consort: cannot write standard output: ${full ? 'disk full' : err.message} (${full ? 'free some space and run the command again' : 'check where the output goes'})\n`);
    process.exit(full ? ExitCode.database : ExitCode.internal);
  });
  process.exitCode = await run(process.argv.slice(2), streams);
}

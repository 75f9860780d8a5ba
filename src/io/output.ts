import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { sanitizeForTerminal } from './sanitize.js';

/** The process's streams and environment, injectable so tests can run the CLI in-process. */
export interface Streams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export interface OutputOptions {
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** Decides whether to colour: --no-color and NO_COLOR turn it off, FORCE_COLOR on, else only on a terminal. */
export function colorLevel(streams: Streams, wanted: boolean | undefined): 0 | 1 {
  if (wanted === false || (streams.env.NO_COLOR ?? '') !== '') return 0;
  const force = streams.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return 1;
  if (force === '0' || force === 'false') return 0;
  return streams.stdout.isTTY ? 1 : 0;
}

/** stdout carries data only; messages, warnings and progress go to stderr. */
export class Output {
  readonly color: ChalkInstance;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  private pending = '';

  constructor(
    readonly streams: Streams,
    readonly options: OutputOptions = {},
  ) {
    this.color = new Chalk({ level: colorLevel(streams, options.color) });
    this.stdoutIsTTY = Boolean(streams.stdout.isTTY);
    this.stderrIsTTY = Boolean(streams.stderr.isTTY);
  }

  /** Queues data for stdout; flushed in large chunks, honouring backpressure. */
  async data(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= 65536) await this.flush();
  }

  /** Writes queued data and waits for the stream to drain if it is full. */
  async flush(): Promise<void> {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    if (!this.streams.stdout.write(chunk)) await once(this.streams.stdout, 'drain');
  }

  /** A message for a person, on stderr; silenced by --quiet. */
  info(message: string): void {
    if (!this.options.quiet) this.streams.stderr.write(sanitizeForTerminal(message) + '\n');
  }

  /** Detail shown with --verbose only. */
  debug(message: string): void {
    if (this.options.verbose) this.streams.stderr.write(sanitizeForTerminal(message) + '\n');
  }

  /** A warning, always on stderr. */
  warn(message: string): void {
    this.streams.stderr.write(`consort: warning: ${sanitizeForTerminal(message)}\n`);
  }
}

import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
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

/** The few styles consort uses: chalk's when colouring, plain text otherwise. */
export interface Styles {
  level: 0 | 1;
  bold(text: string): string;
  heading(text: string): string;
  dim(text: string): string;
}

const plain = (text: string) => text;
const PLAIN: Styles = { level: 0, bold: plain, heading: plain, dim: plain };

/** stdout carries data only; messages, warnings and progress go to stderr. */
export class Output {
  /** Plain until useColor() has loaded chalk, which only a colouring command pays for (5 ms of start-up). */
  color: Styles = PLAIN;
  private readonly colorWanted: 0 | 1;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  private pending = '';

  constructor(
    readonly streams: Streams,
    readonly options: OutputOptions = {},
  ) {
    this.colorWanted = colorLevel(streams, options.color);
    this.stdoutIsTTY = Boolean(streams.stdout.isTTY);
    this.stderrIsTTY = Boolean(streams.stderr.isTTY);
  }

  /** Loads chalk if this output is to be coloured. */
  async useColor(): Promise<void> {
    if (!this.colorWanted || this.color.level) return;
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    this.color = { level: 1, bold: chalk.bold, heading: chalk.bold.cyan, dim: chalk.dim };
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

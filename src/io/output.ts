import { once } from 'node:events';
import { writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { sanitizeForTerminal } from './sanitize.js';

/** The process's streams and environment, injectable so tests can run the CLI in-process. */
export interface Streams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /**
   * The process's own standard output when it is surely no terminal (a file, a pipe, a socket),
   * written straight to file descriptor 1 (main.ts): making the stream `stdout` costs a command's
   * start 1.5-2.5 ms (node's stream modules; for a pipe, its socket too), so data goes this way and
   * the stream is made only for what needs one. Absent in-process and on a terminal; a copy of
   * these streams with another `stdout` must leave it out.
   */
  writeStdout?: (text: string) => Promise<void>;
}

/**
 * Writes `bytes` to an open file descriptor whole. Where it is a pipe another process made
 * non-blocking and the pipe is full, waits for its reader and goes on; any other error is thrown.
 */
export async function writeWhole(fd: number, bytes: Buffer): Promise<void> {
  while (bytes.length) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** Whether stdout is a terminal, asked without making the stream where the answer is known (writeStdout). */
export function stdoutIsTerminal(streams: Streams): boolean {
  return !streams.writeStdout && Boolean(streams.stdout.isTTY);
}

export interface OutputOptions {
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** --wide: terminal tables show every value whole. */
  wide?: boolean;
  /** false for --no-pager. */
  pager?: boolean;
  /** The command's clock (CONSORT_NOW), for relative times in terminal views. */
  now?: () => string;
}

/** Whether a person is there to answer a question: stdin and stdout both terminals (inquirer misbehaves otherwise, TOOLCHAIN.md). */
export function interactive(streams: Streams): boolean {
  return Boolean(streams.stdin.isTTY) && stdoutIsTerminal(streams);
}

/** Decides whether to colour: --no-color and NO_COLOR turn it off, FORCE_COLOR on, else only on a terminal. */
export function colorLevel(streams: Streams, wanted: boolean | undefined): 0 | 1 {
  if (wanted === false || (streams.env.NO_COLOR ?? '') !== '') return 0;
  const force = streams.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return 1;
  if (force === '0' || force === 'false') return 0;
  return stdoutIsTerminal(streams) ? 1 : 0;
}

/** The few styles consort uses: chalk's when colouring, plain text otherwise. */
export interface Styles {
  level: 0 | 1;
  bold(text: string): string;
  heading(text: string): string;
  dim(text: string): string;
  /** A state that needs attention: withdrawn, overdue. */
  alert(text: string): string;
}

const plain = (text: string) => text;
const PLAIN: Styles = { level: 0, bold: plain, heading: plain, dim: plain, alert: plain };

/** stdout carries data only; messages, warnings and progress go to stderr. */
export class Output {
  /** Plain until useColor() has loaded chalk, which only a colouring command pays for (5 ms of start-up). */
  color: Styles = PLAIN;
  private readonly colorWanted: 0 | 1;
  readonly stdoutIsTTY: boolean;
  private pending = '';
  /** undefined: not asked for; null: closed; else the pager, started at the first data. */
  private paging?: { fd: number; pager: import('./pager.js').Pager | undefined; deferred: string[] } | null;

  constructor(
    readonly streams: Streams,
    readonly options: OutputOptions = {},
  ) {
    this.colorWanted = colorLevel(streams, options.color);
    this.stdoutIsTTY = stdoutIsTerminal(streams);
  }

  /** Asked when needed: making the stream stderr costs a start as stdout's does. */
  get stderrIsTTY(): boolean {
    return Boolean(this.streams.stderr.isTTY);
  }

  /** Loads chalk if this output is to be coloured. */
  async useColor(): Promise<void> {
    if (!this.colorWanted || this.color.level) return;
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    this.color = { level: 1, bold: chalk.bold, heading: chalk.bold.cyan, dim: chalk.dim, alert: chalk.red };
  }

  /** The width terminal views fit: the terminal's columns, else COLUMNS, else 80; undefined with --wide or off a terminal without COLUMNS. */
  get width(): number | undefined {
    if (this.options.wide) return undefined;
    const columns = this.stdoutIsTTY ? (this.streams.stdout as { columns?: number }).columns : undefined;
    if (columns && columns > 0) return columns;
    const env = Number(this.streams.env.COLUMNS);
    if (Number.isInteger(env) && env > 0) return env;
    return this.stdoutIsTTY ? 80 : undefined;
  }

  /** The time terminal views count relative times from. */
  now(): string {
    return this.options.now?.() ?? new Date().toISOString();
  }

  /**
   * Sends this command's stdout through the pager when stdout is a terminal (as git does; less -F
   * quits at once for a short text). Off with --no-pager, an empty or `cat` pager, and in-process
   * runs whose stdout is no file descriptor.
   */
  page(): void {
    if (this.paging !== undefined || !this.stdoutIsTTY || this.options.pager === false) return;
    const fd = (this.streams.stdout as { fd?: unknown }).fd;
    if (typeof fd !== 'number') return;
    this.paging = { fd, pager: undefined, deferred: [] };
  }

  /** Ends the pager's text and waits for it to exit, then prints the messages held back meanwhile. */
  async close(): Promise<void> {
    await this.flush();
    const paging = this.paging;
    if (!paging) return;
    this.paging = null;
    await paging.pager?.end();
    for (const line of paging.deferred) this.streams.stderr.write(line);
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
    if (this.paging) {
      if (!this.paging.pager) {
        const { Pager, pagerCommand } = await import('./pager.js');
        const command = pagerCommand(this.streams.env);
        if (command === undefined) this.paging = null;
        else this.paging.pager = Pager.start(command, this.paging.fd, this.streams.env);
      }
      if (this.paging?.pager) return this.paging.pager.write(chunk);
    }
    if (this.streams.writeStdout) return this.streams.writeStdout(chunk);
    if (!this.streams.stdout.write(chunk)) await once(this.streams.stdout, 'drain');
  }

  /** stderr, or held back until the pager exits so a message never lands in the middle of its screen. */
  private message(line: string): void {
    if (this.paging?.pager) this.paging.deferred.push(line);
    else this.streams.stderr.write(line);
  }

  /** A message for a person, on stderr; silenced by --quiet. */
  info(message: string): void {
    if (!this.options.quiet) this.message(sanitizeForTerminal(message) + '\n');
  }

  /** Detail shown with --verbose only. */
  debug(message: string): void {
    if (this.options.verbose) this.message(sanitizeForTerminal(message) + '\n');
  }

  /** A warning, always on stderr. */
  warn(message: string): void {
    this.message(`consort: warning: ${sanitizeForTerminal(message)}\n`);
  }
}

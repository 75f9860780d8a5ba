import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsortError, InputError, UsageError, type ExitCodeValue, type InputProblem } from '../../errors.js';
import type { Input } from '../../io/input/open.js';
import { readRecords } from '../../io/input/read.js';
import type { InputRecord, RecordFormat } from '../../io/input/record.js';
import type { NormalisedEmail } from '../shared/email.js';
import { IMPORT_ROWS, type ImportKind } from './import.rows.js';

/** Records a reader-thread message carries, and batches read ahead of the import at most. */
export const BATCH = 1000;
// Sixteen: a member import writes its staged people every 10,000 rows, for a tenth of a second;
// with four batches ahead the reader stood still through each (100k rows: 2.8-3.3 s, against
// 2.3-2.5 s with sixteen).
export const IN_FLIGHT = 16;
/** How long a pipe's partial batch waits on the reader thread for more rows before it is posted. */
export const PIPE_WAIT_MS = 20;
/** A pipe's chunks sent to the reader thread before it asks for more. */
const PIPE_AHEAD = 16;

/** What the import's thread asks the reader thread to read. */
export interface ReaderRequest {
  /** The file to read; none for a pipe, whose bytes come as messages (ToReader). */
  path?: string;
  name: string;
  format: string | undefined;
  kind: ImportKind;
  /** Keep each record's text, for a rejects file. */
  raw: boolean;
}

/** One record as read, with its row already checked when it could be read at all. */
export interface ReadRecord<Row = unknown> extends InputRecord {
  parsed?: Row | InputProblem[];
}

/** An error as the reader thread posts it; revived as the same kind of error on the import's thread. */
interface ErrorMessage {
  name: string;
  message: string;
  exitCode?: ExitCodeValue;
  hint?: string;
  problems?: InputProblem[];
  /** A file system error's own fields, from which its message is made (classifyError). */
  code?: string;
  path?: string;
  syscall?: string;
  errno?: number;
}

/** What the import's thread tells the reader: a batch taken (0), and a pipe's bytes, its end or its error. */
export type ToReader = 0 | { chunk: Uint8Array } | { eof: true } | { error: ErrorMessage };

type ReaderMessage = { format: RecordFormat } | { records: PackedRecord[]; bytes: number; end?: boolean } | { error: ErrorMessage } | { pull: true };

/**
 * A record as the reader thread posts it: an array, not an object. The import's thread
 * deserialises every record it is sent, and structured clone copies an array of strings about
 * four times faster than objects with named fields (1M activity records: 0.29 s against 1.15 s,
 * time the import's thread spent on nothing else). The array holds the line, the raw text, the
 * problem that stopped the record being read, a bad row's problems; then a row's email, its key
 * where that differs, and the kind's other columns in order.
 */
export type PackedRecord = unknown[];

/** Every import's row names a person by email (emailCell); its other fields are the kind's columns. */
type PackableRow = { email: NormalisedEmail } & Record<string, unknown>;

export function packRecord(rec: ReadRecord, columns: readonly string[]): PackedRecord {
  const { parsed } = rec;
  if (parsed === undefined || Array.isArray(parsed)) return [rec.line, rec.raw, rec.problem, parsed];
  const row = parsed as PackableRow;
  const packed: unknown[] = [rec.line, rec.raw, undefined, undefined, row.email.email, row.email.key === row.email.email ? null : row.email.key];
  for (const c of columns) if (c !== 'email') packed.push(row[c]);
  return packed;
}

export function unpackRecord(packed: PackedRecord, columns: readonly string[]): ReadRecord {
  const rec: ReadRecord = { line: packed[0] as number, raw: packed[1] as string | undefined, problem: packed[2] as InputProblem | undefined };
  if (packed.length === 4) {
    rec.parsed = packed[3] as InputProblem[] | undefined;
    return rec;
  }
  const email = packed[4] as string;
  const row: Record<string, unknown> = { email: { email, key: (packed[5] as string | null) ?? email } };
  let i = 6;
  for (const c of columns) {
    if (c === 'email') continue;
    const value = packed[i++];
    if (value !== undefined) row[c] = value;
  }
  rec.parsed = row;
  return rec;
}

export function toMessage(err: unknown): ErrorMessage {
  const e = err as Error & Omit<ErrorMessage, 'name' | 'message'>;
  const base = { name: e?.name ?? 'Error', message: e?.message ?? String(err), code: e?.code, path: e?.path, syscall: e?.syscall, errno: e?.errno };
  return err instanceof ConsortError ? { ...base, exitCode: err.exitCode, hint: err.hint, problems: e.problems } : base;
}

/** The error the reader thread posted, as the import's own thread would have thrown it (the errors reading can raise). */
export function revive(m: ErrorMessage): Error {
  if (m.name === 'InputError') return new InputError(m.message, m.problems ?? [], m.hint);
  if (m.name === 'UsageError') return new UsageError(m.message, m.hint);
  if (m.exitCode !== undefined) return new ConsortError(m.message, m.exitCode, m.hint);
  const { code, path, syscall, errno } = m;
  return Object.assign(new Error(m.message), Object.fromEntries(Object.entries({ code, path, syscall, errno }).filter(([, v]) => v !== undefined)));
}

/**
 * The reader thread's script, beside the bundle that runs (dist/import-worker.js, from dist/ or
 * dist/chunks/); undefined when consort runs from its TypeScript sources (the tests in-process).
 */
function workerScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'import-worker.js'), join(here, '..', 'import-worker.js')].find((f) => existsSync(f));
}

/**
 * An import's records, read and checked, in groups: a reader thread's batches, or `group`
 * records at a time read on the import's own thread. A named file (input.readerPath) is read on
 * a second thread, so that on a machine with two cores reading and checking the file (a fifth of a
 * 1M-row import) overlaps the database work; so is a pipe (input.readerPipe), whose bytes this
 * thread forwards to it, and whose rows come in groups as soon as they arrive (PIPE_WAIT_MS), so
 * a pipe's batches are never held back. Stdin redirected from a file, small files, and consort
 * run from its sources (the tests in-process) are read on the import's own thread. Either way
 * the records, their line numbers and every error are the same. `close` stops the thread; call
 * it when the import ends, whether or not it read every record.
 */
export async function readImport(
  input: Input,
  given: string | undefined,
  kind: ImportKind,
  options: { raw: boolean; group: number; onBytes?: (n: number) => void; onDetail?: (message: string) => void },
): Promise<{ format: RecordFormat; groups: AsyncIterable<ReadRecord[]>; close(): Promise<void> }> {
  const script = input.readerPath !== undefined || input.readerPipe ? workerScript() : undefined;
  options.onDetail?.(`reading ${input.name} on ${script ? 'a second thread' : "the import's own thread"}`);
  if (script === undefined) {
    const { format, records } = await readRecords(input, given, IMPORT_ROWS[kind].columns, options.onBytes);
    return { format, groups: grouped(records, options.group), close: async () => {} };
  }
  const pipe = input.readerPath === undefined;
  if (!pipe) {
    // This thread's stream is not read. It may still be opening the file: an error it meets then
    // (the file unreadable, or gone) is the reader thread's to report, as the same error.
    input.stream.on('error', () => {});
    input.stream.destroy();
  }
  const { Worker } = await import('node:worker_threads');
  const columns = IMPORT_ROWS[kind].columns.known;
  const request: ReaderRequest = { path: input.readerPath, name: input.name, format: given, kind, raw: options.raw };
  const worker = new Worker(script, { workerData: request });
  // The thread keeps the process alive only while the import waits for it (see next): an import
  // that fails before reading a record must not be kept running by its reader.
  worker.unref();
  const queue: ReaderMessage[] = [];
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const woken = () => {
    wake?.();
    wake = undefined;
  };
  const tell = (m: ToReader) => worker.postMessage(m);
  // A pipe: its bytes go to the reader a chunk at a time, each when the reader asks (so an import
  // that falls behind holds the pipe back, not memory), PIPE_AHEAD chunks ahead: this thread
  // answers only between groups, and a reader that had to ask for each chunk would wait for it
  // (measured, 100k events: 0.34 s of the import's thread idle against 0.11 s for the file).
  // The pipe's end and its error follow.
  let asked = PIPE_AHEAD;
  let ended = false;
  const pump = () => {
    while (asked > 0) {
      const chunk = input.stream.read() as Buffer | string | null;
      if (chunk === null) break;
      asked--;
      // Moved, not copied: a chunk of a pipe may be a view of a larger buffer, which a copy would clone whole.
      const bytes = new Uint8Array(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      worker.postMessage({ chunk: bytes } satisfies ToReader, [bytes.buffer]);
    }
    if (ended && asked > 0) {
      asked = 0;
      tell({ eof: true });
    }
  };
  if (pipe) {
    input.stream.on('readable', pump);
    input.stream.on('end', () => {
      ended = true;
      pump();
    });
    input.stream.on('error', (err) => tell({ error: toMessage(err) }));
  }
  worker.on('message', (m: ReaderMessage) => {
    if ('pull' in m) {
      asked++;
      pump();
      return;
    }
    queue.push(m);
    woken();
  });
  // An exception the reader did not catch, or the thread ending before its last batch.
  worker.on('error', (err) => {
    failed ??= err;
    woken();
  });
  worker.on('exit', (code) => {
    failed ??= new Error(`the import's reader thread stopped (exit code ${code})`);
    woken();
  });
  const next = async (): Promise<ReaderMessage> => {
    while (!queue.length) {
      if (failed) throw failed;
      worker.ref();
      await new Promise<void>((r) => (wake = r));
      worker.unref();
    }
    const m = queue.shift()!;
    if ('error' in m) throw revive(m.error);
    return m;
  };
  const close = async () => {
    if (pipe) input.stream.off('readable', pump);
    await worker.terminate();
  };
  let first: ReaderMessage;
  try {
    first = await next();
  } catch (err) {
    await close();
    throw err;
  }
  async function* groups(): AsyncGenerator<ReadRecord[]> {
    for (;;) {
      const m = await next();
      if (!('records' in m)) continue;
      if (m.bytes) options.onBytes?.(m.bytes);
      if (m.records.length) yield m.records.map((p) => unpackRecord(p, columns));
      // Taken: room for another batch.
      worker.postMessage(0);
      if (m.end) return;
    }
  }
  return { format: (first as { format: RecordFormat }).format, groups: groups(), close };
}

/** Records `size` at a time (the last group may be shorter); those read before an error are yielded before it. */
export async function* grouped<T>(records: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let group: T[] = [];
  try {
    for await (const rec of records) {
      group.push(rec);
      if (group.length >= size) {
        yield group;
        group = [];
      }
    }
  } catch (err) {
    // The records read before the error are handled before it.
    if (group.length) yield group;
    throw err;
  }
  if (group.length) yield group;
}

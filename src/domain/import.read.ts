import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsortError, InputError, UsageError, type ExitCodeValue, type InputProblem } from '../errors.js';
import { readRecords, type Input, type InputRecord, type RecordFormat } from '../io/input.js';
import { IMPORT_ROWS, type ImportKind } from './import-rows.js';

/** Records a reader-thread message carries, and batches read ahead of the import at most. */
export const BATCH = 1000;
export const IN_FLIGHT = 4;

/** What the import's thread asks the reader thread to read. */
export interface ReaderRequest {
  path: string;
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

type ReaderMessage = { format: RecordFormat } | { records: ReadRecord[]; bytes: number; end?: boolean } | { error: ErrorMessage };

export function toMessage(err: unknown): ErrorMessage {
  const e = err as Error & Omit<ErrorMessage, 'name' | 'message'>;
  const base = { name: e?.name ?? 'Error', message: e?.message ?? String(err), code: e?.code, path: e?.path, syscall: e?.syscall, errno: e?.errno };
  return err instanceof ConsortError ? { ...base, exitCode: err.exitCode, hint: err.hint, problems: e.problems } : base;
}

/** The error the reader thread posted, as the import's own thread would have thrown it (the errors reading can raise). */
function revive(m: ErrorMessage): Error {
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
 * An import's records, read and checked. A named file (input.readerPath) is read on a second
 * thread, so that on a machine with two cores reading and checking the file (a fifth of a 1M-row
 * import) overlaps the database work; stdin, pipes and small files are read on the import's own
 * thread, a row at a time, so a pipe's batches are never held back. Either way the records, their
 * line numbers and every error are the same. `close` stops the thread; call it when the import
 * ends, whether or not it read every record.
 */
export async function readImport(
  input: Input,
  given: string | undefined,
  kind: ImportKind,
  options: { raw: boolean; onBytes?: (n: number) => void; onDetail?: (message: string) => void },
): Promise<{ format: RecordFormat; records: AsyncIterable<ReadRecord>; close(): Promise<void> }> {
  const script = input.readerPath !== undefined ? workerScript() : undefined;
  options.onDetail?.(`reading ${input.name} on ${script ? 'a second thread' : "the import's own thread"}`);
  if (script === undefined) return { ...(await readRecords(input, given, IMPORT_ROWS[kind].columns, options.onBytes)), close: async () => {} };
  // This thread's stream is not read. It may still be opening the file: an error it meets then
  // (the file unreadable, or gone) is the reader thread's to report, as the same error.
  input.stream.on('error', () => {});
  input.stream.destroy();
  const { Worker } = await import('node:worker_threads');
  const request: ReaderRequest = { path: input.readerPath!, name: input.name, format: given, kind, raw: options.raw };
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
  worker.on('message', (m: ReaderMessage) => {
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
    await worker.terminate();
  };
  let first: ReaderMessage;
  try {
    first = await next();
  } catch (err) {
    await close();
    throw err;
  }
  async function* records(): AsyncGenerator<ReadRecord> {
    for (;;) {
      const m = await next();
      if (!('records' in m)) continue;
      if (m.bytes) options.onBytes?.(m.bytes);
      yield* m.records;
      // Taken: room for another batch.
      worker.postMessage(0);
      if (m.end) return;
    }
  }
  return { format: (first as { format: RecordFormat }).format, records: records(), close };
}

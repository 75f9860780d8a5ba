import { createReadStream, fstatSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputError, UsageError } from '../../errors.js';
import type { Streams } from '../output.js';

/** An input opened for reading: a named file or stdin ('-'). */
export interface Input {
  name: string;
  stream: Readable;
  /** Size in bytes when known (files), for progress. */
  size?: number;
  /**
   * The path of a named file to be read on a second thread (see readImport): one of
   * READER_THREAD_BYTES or more, or any with CONSORT_READ_WORKER=on; none with
   * CONSORT_READ_WORKER=off, nor for stdin and pipes.
   */
  readerPath?: string;
  /**
   * A pipe whose bytes this thread forwards to a reader thread, which reads and checks them
   * (see readImport); not with CONSORT_READ_WORKER=off.
   */
  readerPipe?: boolean;
  isPipe: boolean;
}

/**
 * Below this size a file is read on the import's own thread: a second one costs some 60 ms to
 * start, and gains nothing below about this size (measured, member import dry runs: 1 MB, 15000
 * rows, 891-966 ms with it against 858-909 ms without; 3.5 MB, 50000 rows, 1850 ms against 2005-2037 ms).
 */
export const READER_THREAD_BYTES = 1 << 21;

/** Opens FILE or '-' (stdin); a missing or unreadable file is exit 4 naming it. */
export function openInput(file: string | undefined, streams: Streams): Input {
  if (file === undefined) throw new UsageError('missing input FILE', "give a file name, or '-' to read standard input");
  if (file === '-') {
    if (streams.stdin.isTTY) throw new UsageError("'-' reads standard input, but it is a terminal", 'pipe a file in, e.g. consort member import - < people.csv');
    // Standard input redirected from a file (< people.csv) is a file: one transaction.
    const isFile = streams.stdin === process.stdin && fstatSync(0).isFile();
    return { name: '<stdin>', stream: streams.stdin, isPipe: !isFile, readerPipe: !isFile && streams.env.CONSORT_READ_WORKER !== 'off', size: isFile ? fstatSync(0).size : undefined };
  }
  let size: number;
  let isPipe: boolean;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`cannot read ${file}: it is a directory`, [], 'give a file, or - for standard input');
    size = st.size;
    isPipe = !st.isFile();
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, [], 'check the path and its permissions');
  }
  const thread = streams.env.CONSORT_READ_WORKER;
  const readerPath = !isPipe && thread !== 'off' && (thread === 'on' || size >= READER_THREAD_BYTES) ? file : undefined;
  return { name: file, readerPath, readerPipe: isPipe && thread !== 'off', stream: createReadStream(file, { highWaterMark: 1 << 16 }), size, isPipe };
}

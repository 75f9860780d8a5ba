/**
 * The reader thread of an import (see readImport in import.read.ts): reads and checks the input
 * exactly as the import would on its own thread (readRecords, then the kind's row schema), and
 * posts the records (packed as arrays: PackedRecord), a batch at a time, while the import's
 * thread writes the ones before. A named file it reads itself; a pipe's bytes the import's thread
 * forwards as this thread asks for them, and a batch of a pipe is posted once it is full or
 * PIPE_WAIT_MS after its first record, so rows that trickle in are never held back. At most
 * IN_FLIGHT batches wait unread: a slow database holds the reader back, not memory.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { readRecords } from '../../io/input/read.js';
import { IMPORT_ROWS } from './import.rows.js';
import { BATCH, IN_FLIGHT, PIPE_WAIT_MS, packRecord, revive, toMessage, type PackedRecord, type ToReader, type ReaderRequest } from './import.read.js';

const port = parentPort!;
const request = workerData as ReaderRequest;
let credit = IN_FLIGHT;
let wake: (() => void) | undefined;

/** A pipe's bytes, as the import's thread forwards them: one chunk asked for at a time. */
const piped = request.path === undefined ? new Readable({ read: () => port.postMessage({ pull: true }) }) : undefined;

port.on('message', (m: ToReader) => {
  if (m === 0) {
    // A batch the import has taken: room for another.
    credit++;
    wake?.();
    wake = undefined;
  } else if ('chunk' in m) piped!.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
  else if ('eof' in m) piped!.push(null);
  else piped!.destroy(revive(m.error));
});

async function read() {
  const rows = IMPORT_ROWS[request.kind];
  let bytes = 0;
  const stream = piped ?? createReadStream(request.path!, { highWaterMark: 1 << 16 });
  const input = { name: request.name, stream, isPipe: Boolean(piped) };
  const { format, records } = await readRecords(input, request.format, rows.columns, (n) => (bytes += n));
  port.postMessage({ format });
  let batch: PackedRecord[] = [];
  let since = 0;
  const post = (end?: boolean) => {
    port.postMessage({ records: batch, bytes, end });
    batch = [];
    bytes = 0;
    credit--;
  };
  // A pipe's partial batch goes out once it has waited PIPE_WAIT_MS (while the import has room for it).
  const timer = piped
    ? setInterval(() => {
        if (batch.length && credit > 0 && Date.now() - since >= PIPE_WAIT_MS) post();
      }, PIPE_WAIT_MS)
    : undefined;
  try {
    for await (const rec of records) {
      const parsed = rec.problem ? undefined : rows.parse(rec.fields!, rec.line, request.name);
      if (!batch.length) since = Date.now();
      batch.push(packRecord({ line: rec.line, raw: request.raw ? rec.raw : undefined, problem: rec.problem, parsed }, rows.columns.known));
      if (batch.length < BATCH) continue;
      post();
      while (credit <= 0) await new Promise<void>((r) => (wake = r));
    }
  } catch (err) {
    // The records read before the error are handled before it, as on the import's own thread.
    if (timer) clearInterval(timer);
    port.postMessage({ records: batch, bytes });
    throw err;
  }
  if (timer) clearInterval(timer);
  post(true);
}

read().catch((err) => port.postMessage({ error: toMessage(err) }));

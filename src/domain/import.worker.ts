/**
 * The reader thread of a file import (see readImport in import.read.ts): reads and checks the
 * file exactly as the import would on its own thread (readRecords, then the kind's row schema),
 * and posts the records, a batch at a time, while the import's thread writes the ones before.
 * At most IN_FLIGHT batches wait unread: a slow database holds the reader back, not memory.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readRecords } from '../io/input.js';
import { IMPORT_ROWS } from './import-rows.js';
import { BATCH, IN_FLIGHT, toMessage, type ReaderRequest, type ReadRecord } from './import.read.js';

const port = parentPort!;
const request = workerData as ReaderRequest;
let credit = IN_FLIGHT;
let wake: (() => void) | undefined;
// Each message back is one batch the import has taken: room for another.
port.on('message', () => {
  credit++;
  wake?.();
  wake = undefined;
});

async function read() {
  const rows = IMPORT_ROWS[request.kind];
  let bytes = 0;
  const input = { name: request.name, stream: createReadStream(request.path, { highWaterMark: 1 << 16 }), isPipe: false };
  const { format, records } = await readRecords(input, request.format, rows.columns, (n) => (bytes += n));
  port.postMessage({ format });
  let batch: ReadRecord[] = [];
  try {
    for await (const rec of records) {
      const parsed = rec.problem ? undefined : rows.parse(rec.fields!, rec.line, request.name);
      batch.push({ line: rec.line, raw: request.raw ? rec.raw : undefined, problem: rec.problem, parsed });
      if (batch.length < BATCH) continue;
      port.postMessage({ records: batch, bytes });
      batch = [];
      bytes = 0;
      if (--credit <= 0) await new Promise<void>((r) => (wake = r));
    }
  } catch (err) {
    // The records read before the error are handled before it, as on the import's own thread.
    port.postMessage({ records: batch, bytes });
    throw err;
  }
  port.postMessage({ records: batch, bytes, end: true });
}

read().catch((err) => port.postMessage({ error: toMessage(err) }));

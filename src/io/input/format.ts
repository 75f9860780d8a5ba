import type { Readable } from 'node:stream';
import { UsageError } from '../../errors.js';
import type { Input } from './open.js';
import type { RecordFormat } from './record.js';

/** Picks the record format: --format, else the file extension, else a sniff of the first byte. */
export function recordFormatFor(input: Input, given: string | undefined, firstChunk?: string): RecordFormat {
  if (given !== undefined) {
    if (given !== 'csv' && given !== 'ndjson' && given !== 'jsonl') throw new UsageError(`unknown --format '${given}' for this import`, 'use csv or ndjson');
    return given === 'csv' ? 'csv' : 'ndjson';
  }
  if (/\.(nd)?jsonl?$/i.test(input.name)) return 'ndjson';
  if (/\.csv$/i.test(input.name)) return 'csv';
  return firstChunk !== undefined && /^\uFEFF?\s*[{[]/.test(firstChunk) ? 'ndjson' : 'csv';
}

/** Reads the first chunk so the format can be sniffed, then yields it and the rest. */
export async function peekStream(stream: Readable): Promise<{ first: string; rest: AsyncIterable<Buffer | string> }> {
  const it = stream[Symbol.asyncIterator]();
  const head = await it.next();
  const firstChunk: Buffer | string | undefined = head.done ? undefined : head.value;
  const first = firstChunk === undefined ? '' : typeof firstChunk === 'string' ? firstChunk : firstChunk.toString('utf8', 0, Math.min(firstChunk.length, 64));
  async function* rest() {
    if (firstChunk !== undefined) yield firstChunk;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value as Buffer | string;
    }
  }
  return { first, rest: rest() };
}

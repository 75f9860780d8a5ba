import { isUtf8 } from 'node:buffer';
import { InputError } from '../../errors.js';

/** The line ends in a read, counted as in checkedUtf8 (a CR that ended the read before was counted then). */
function lineEnds(chunk: Buffer, csv: boolean, lastCr: boolean): number {
  let n = 0;
  for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) n++;
  if (!csv) return n;
  for (let i = chunk.indexOf(0x0d); i !== -1; i = chunk.indexOf(0x0d, i + 1)) if (chunk[i + 1] !== 0x0a) n++;
  return lastCr && chunk[0] === 0x0a ? n - 1 : n;
}

/** The line (counting from `line`, at the start of `bytes`) of the first piece of `bytes` between line ends that is not UTF-8. */
function invalidLine(bytes: Buffer, line: number, csv: boolean, lastCr: boolean): { line: number; start: number } {
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x0a && !(csv && b === 0x0d)) continue;
    if (!isUtf8(bytes.subarray(start, i))) return { line, start };
    const crlf = b === 0x0a && csv && (i > 0 ? bytes[i - 1] === 0x0d : lastCr);
    if (!crlf) line++;
    start = i + 1;
  }
  return { line, start };
}

/** The bytes at the end of `bytes` that begin a UTF-8 character without finishing it. */
function cutCharacter(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: the character began earlier
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > back ? Buffer.from(bytes.subarray(bytes.length - back)) : Buffer.alloc(0);
  }
  return Buffer.alloc(0);
}

/**
 * The text of a byte stream that must be UTF-8: a byte sequence that is not stops the import at
 * its line (never a silent U+FFFD), after the whole lines before it. Lines are counted as the
 * format's reader counts them: CSV ends a line at LF, CRLF or a lone CR; NDJSON at LF. Counts
 * the bytes read, for progress.
 */
export async function* checkedUtf8(name: string, chunks: AsyncIterable<Buffer | string>, csv: boolean, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let pending: Buffer = Buffer.alloc(0); // the start of a character the last read cut off
  let lastCr = false; // the last read ended with CR (a CRLF split between reads is one line end)
  for await (const chunk of chunks) {
    onBytes?.(chunk.length);
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      // The whole lines before the bad one are read first, so that what is reported before the
      // error does not depend on where a read happened to end (a pipe's reads end anywhere).
      const bytes = Buffer.concat([pending, chunk]);
      const bad = invalidLine(bytes, line, csv, lastCr);
      if (bad.start) yield bytes.toString('utf8', 0, bad.start);
      throw new InputError(`${name}:${bad.line}: not valid UTF-8`, [], 'convert the file to UTF-8; nothing was written');
    }
    line += lineEnds(chunk, csv, lastCr);
    if (chunk.length) lastCr = chunk[chunk.length - 1] === 0x0d;
    pending = cutCharacter(pending.length ? Buffer.concat([pending, chunk]) : chunk);
    yield text;
  }
  try {
    const tail = decoder.decode();
    if (tail) yield tail;
  } catch {
    throw new InputError(`${name}:${line}: not valid UTF-8 (truncated character at the end)`, [], 'convert the file to UTF-8; nothing was written');
  }
}

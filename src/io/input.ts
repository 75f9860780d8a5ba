import { createReadStream, fstatSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { InputError, UsageError, type InputProblem } from '../errors.js';
import type { Streams } from './output.js';
import { safeJson } from './sanitize.js';

/** The longest line or CSV record accepted; a longer one is a bad row, not an out-of-memory crash. */
export const MAX_RECORD_BYTES = 1 << 20;

export type RecordFormat = 'csv' | 'ndjson';

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

/** Whether text is longer than MAX_RECORD_BYTES in UTF-8 (counted only when it could be: a UTF-16 unit is at most 3 bytes). */
function overLimit(text: string): boolean {
  return text.length * 3 > MAX_RECORD_BYTES && Buffer.byteLength(text) > MAX_RECORD_BYTES;
}

/**
 * What stands, in the text csv-parse reads, for a record longer than MAX_RECORD_BYTES:
 * boundCsvRecords drops the record and leaves this one field instead.
 */
const TOO_LONG = '\0consort: record too long';

/**
 * Drops each CSV record longer than MAX_RECORD_BYTES before csv-parse sees it (which would
 * stop at it and read nothing after), leaving a one-field record, TOO_LONG, that spans as many
 * lines, so the rows after it keep their line numbers. A record ends at a line end outside
 * quotes; quotes are read as csv-parse reads them: one opens a field only at the field's start,
 * "" inside one is a quote, and any other quote is left for csv-parse to refuse. Holds at most
 * one record's text. (A cell that is itself the marker, NUL and all, reads as too long: a bad row either way.)
 */
export async function* boundCsvRecords(texts: AsyncIterable<string>): AsyncGenerator<string> {
  const special = /["\r\n]/g;
  /** The marker, spanning `lines` line ends, then the dropped record's own end; none leaves its quote open. */
  const marker = (lines: number, end?: string) => `"${TOO_LONG}${'\n'.repeat(lines)}${end === undefined ? '' : `"${end}`}`;
  /** Line ends in a record's text: LF, CR, and CRLF once. */
  const linesIn = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;
  let held = ''; // the start of a record the last read did not end
  let quoted = false; // inside a quoted field
  let closedAt = -2; // where the last quoted field closed (-1: at the end of the last text)
  let dropping = false; // inside a record already too long, of which nothing is kept
  let dropped = 0; // line ends inside it so far
  let lastChar = ''; // the last text's last character
  for await (const chunk of texts) {
    const text = held + chunk;
    held = '';
    const out: string[] = [];
    let emitFrom = 0; // text before this is emitted (or dropped)
    let recordStart = dropping ? -1 : 0; // a record being dropped began in an earlier text
    special.lastIndex = 0;
    for (let m = special.exec(text); m; m = special.exec(text)) {
      const i = m.index;
      const c = text[i]!;
      const before = i > 0 ? text[i - 1] : lastChar;
      if (c === '"') {
        if (quoted) {
          quoted = false;
          closedAt = i;
        } else if (closedAt === i - 1 || i === recordStart || before === ',') quoted = true; // "" escaped, or a field's first character
      } else if (quoted) {
        if (dropping && !(c === '\n' && before === '\r')) dropped++;
      } else {
        // A record ends here.
        if (dropping) {
          out.push(marker(dropped, c));
          dropping = false;
          dropped = 0;
          emitFrom = i + 1;
        } else if (overLimit(text.slice(recordStart, i))) {
          out.push(text.slice(emitFrom, recordStart), marker(linesIn(text.slice(recordStart, i)), c));
          emitFrom = i + 1;
        }
        recordStart = i + 1;
      }
    }
    if (!dropping) {
      const tail = text.slice(recordStart);
      out.push(text.slice(emitFrom, recordStart));
      if (overLimit(tail)) {
        dropping = true;
        dropped = linesIn(tail);
      } else {
        // Held, to be scanned again from its start with the next read: outside quotes, as every record starts.
        held = tail;
        quoted = false;
        closedAt = -2;
      }
    }
    if (closedAt >= 0) closedAt = closedAt === text.length - 1 ? -1 : -2;
    if (text.length) lastChar = text[text.length - 1]!;
    const emitted = out.join('');
    if (emitted) yield emitted;
  }
  // A record the input ends inside quotes gets a marker with its quote left open, so csv-parse still says so.
  if (dropping) yield marker(dropped, quoted ? undefined : '');
  else if (held) yield held;
}

/** Splits a byte stream into UTF-8 lines (BOM dropped), with 1-based line numbers; overlong lines are reported, not buffered. */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<{ line: number; text: string; tooLong?: boolean }> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let line = 0;
  let skipping = false;
  let first = true;
  for await (const chunk of stream) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      line++;
      if (skipping) {
        yield { line, text: '', tooLong: true };
        skipping = false;
      } else {
        let l = buf + text.slice(start, nl);
        buf = '';
        if (l.endsWith('\r')) l = l.slice(0, -1);
        yield overLimit(l) ? { line, text: '', tooLong: true } : { line, text: l };
      }
      start = nl + 1;
    }
    if (!skipping) {
      buf += text.slice(start);
      if (buf.length > MAX_RECORD_BYTES) {
        skipping = true;
        buf = '';
      }
    }
  }
  const rest = buf + decoder.end();
  if (skipping || rest !== '') {
    line++;
    const l = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
    yield skipping || overLimit(l) ? { line, text: '', tooLong: true } : { line, text: l };
  }
}

/** One input record: its line, its fields by name, or the problem that stopped it being read. */
export interface InputRecord {
  line: number;
  /** The record as read (a line of NDJSON, a CSV record), for a rejects file. */
  raw?: string;
  fields?: Record<string, unknown>;
  problem?: InputProblem;
}

/**
 * The columns (CSV) or keys (NDJSON) an import reads. `aliases` are other names of known ones
 * (organisation for organization); `ignored` are the read-only ones the matching list writes
 * (created, id), so that what consort writes, consort reads back.
 */
export interface ImportColumns {
  known: readonly string[];
  required: readonly string[];
  aliases?: Readonly<Record<string, string>>;
  ignored?: readonly string[];
}

/**
 * Reads NDJSON objects, one a line; blank lines are skipped. NDJSON has no header to check, so
 * its keys are checked line by line, as CSV's columns are at the header: a key that is not one
 * of `known` (matched exactly, as the row schemas read keys) would be silently ignored, so its
 * line is a bad row naming it. (A key given twice in one object cannot be seen: JSON.parse keeps the last.)
 */
export async function* readNdjson(input: Input, stream: AsyncIterable<Buffer | string>, columns: ImportColumns): AsyncGenerator<InputRecord> {
  const known = columns.known;
  const keys = new Set(known);
  const aliases = columns.aliases ?? {};
  const ignored = new Set(columns.ignored);
  for await (const { line, text, tooLong } of readLines(stream)) {
    if (tooLong) {
      yield { line, problem: { source: input.name, line, reason: `line longer than ${MAX_RECORD_BYTES} bytes` } };
      continue;
    }
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { line, raw: text, problem: { source: input.name, line, reason: `not valid JSON (${(err as Error).message})` } };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, raw: text, problem: { source: input.name, line, reason: 'expected a JSON object' } };
      continue;
    }
    let unknown: string[] | undefined;
    let renamed = false;
    for (const k of Object.keys(value)) {
      if (keys.has(k)) continue;
      if (ignored.has(k) || Object.hasOwn(aliases, k)) renamed = true;
      else (unknown ??= []).push(k);
    }
    if (unknown) {
      yield { line, raw: text, problem: unknownKeys(input.name, line, unknown, known) };
      continue;
    }
    const fields = renamed ? readBack(value as Record<string, unknown>, keys, aliases) : (value as Record<string, unknown>);
    if (typeof fields === 'string') yield { line, raw: text, problem: { source: input.name, line, field: fields, reason: `key ${fields} given twice, under two names` } };
    else yield { line, raw: text, fields };
  }
}

/** An object with the read-only keys left out and aliases under their known names; a key given under two names is returned as such. */
function readBack(value: Record<string, unknown>, keys: Set<string>, aliases: Readonly<Record<string, string>>): Record<string, unknown> | string {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const name = keys.has(k) ? k : Object.hasOwn(aliases, k) ? aliases[k]! : undefined;
    if (name === undefined) continue;
    if (Object.hasOwn(fields, name)) return name;
    fields[name] = v;
  }
  return fields;
}

/** An outside key as shown in a problem: control characters escaped, at most 100 characters. */
function shownKey(key: string): string {
  const text = safeJson(key).slice(1, -1);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

/** The problem of an NDJSON line with keys that are not the import's: the field is the first of them. */
function unknownKeys(source: string, line: number, unknown: string[], known: readonly string[]): InputProblem {
  const names = unknown.map((k) => `'${shownKey(k)}'`).join(', ');
  // Keys are matched exactly; say so when one differs from a known key only by case or spaces.
  const near = unknown.some((k) => known.includes(k.trim().toLowerCase())) ? '; keys are matched exactly, in lower case' : '';
  return { source, line, field: shownKey(unknown[0]!), reason: `unknown ${unknown.length === 1 ? 'key' : 'keys'} ${names} (the keys are: ${known.join(',')}${near})` };
}

/** Reads CSV records keyed by the header (names trimmed and lower-cased); checks required columns. */
export async function* readCsv(input: Input, stream: AsyncIterable<Buffer | string>, columns: ImportColumns): AsyncGenerator<InputRecord> {
  const { known, required } = columns;
  const aliases = columns.aliases ?? {};
  const ignored = columns.ignored ?? [];
  const { parse, CsvError } = await import('csv-parse');
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, raw: true, max_record_size: MAX_RECORD_BYTES });
  const feed = (async () => {
    try {
      for await (const chunk of stream) if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let header: string[] | undefined;
  // csv-parse counts some CRLFs as two lines (see crlfsIn): the count is mended with those its records held.
  let doubled = 0;
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
      doubled += crlfsIn(raw);
      const line = info.lines - doubled;
      const tooLong = record.length === 1 && record[0]!.startsWith(TOO_LONG);
      if (tooLong && header) {
        yield { line, problem: { source: input.name, line, reason: `record longer than ${MAX_RECORD_BYTES} bytes` } };
        continue;
      }
      if (!header) {
        if (tooLong) throw new InputError(`${input.name}:${line}: header longer than ${MAX_RECORD_BYTES} bytes`, [], `the first line must name the columns: ${known.join(',')}`);
        header = record.map((h) => h.trim().toLowerCase()).map((h) => (Object.hasOwn(aliases, h) ? aliases[h]! : h));
        const missing = required.filter((r) => !header!.includes(r));
        const unknown = header.filter((h) => !known.includes(h) && !ignored.includes(h));
        const optional = known.filter((k) => !required.includes(k));
        if (missing.length) throw new InputError(`${input.name}:${line}: header lacks column ${missing.join(', ')}`, [], `the header must name ${required.join(',')}${optional.length ? ` and may name ${optional.join(',')}` : ''}`);
        if (unknown.length) throw new InputError(`${input.name}:${line}: unknown column ${unknown.join(', ')}`, [], `the columns are: ${known.join(',')}`);
        const twice = [...new Set(header.filter((h, i) => header!.indexOf(h) !== i))];
        if (twice.length) throw new InputError(`${input.name}:${line}: column ${twice.join(', ')} named twice`, [], 'name each column once (names are compared ignoring case)');
        continue;
      }
      if (record.length !== header.length) {
        yield { line, raw, problem: { source: input.name, line, reason: `expected ${header.length} fields, found ${record.length}` } };
        continue;
      }
      const fields: Record<string, unknown> = {};
      header.forEach((h, i) => {
        if (!ignored.includes(h)) fields[h] = record[i];
      });
      yield { line, raw, fields };
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as { code?: string; lines?: number; message: string };
    // csv-parse's own errors (most codes begin CSV_, but not all: INVALID_OPENING_QUOTE).
    if (err instanceof CsvError) throw new InputError(`${input.name}:${e.lines === undefined ? '?' : e.lines - doubled}: malformed CSV (${e.message.replace(/^Invalid \w+: /, '')})`, [], 'fix the file; nothing was written');
    throw err;
  }
  await feed;
  if (!header) throw new InputError(`${input.name}: empty input, no header line`, [], `the first line must name the columns: ${known.join(',')}`);
}

/**
 * The CRLFs in a CSV record as csv-parse gives it raw, each of which it counted as two lines: inside
 * quotes, or a CRLF ending a record of a file whose records end at LF. (Where records end at CRLF,
 * the raw record ends at its CR.)
 */
function crlfsIn(raw: string): number {
  let n = 0;
  for (let i = raw.indexOf('\r\n'); i !== -1; i = raw.indexOf('\r\n', i + 2)) n++;
  return n;
}

/** The line ends in a read, counted as in readRecords (a CR that ended the read before was counted then). */
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

/** Opens FILE|-, picks its format and yields its records; counts bytes read for progress. */
export async function readRecords(
  input: Input,
  given: string | undefined,
  columns: ImportColumns,
  onBytes?: (n: number) => void,
): Promise<{ format: RecordFormat; records: AsyncGenerator<InputRecord> }> {
  const { first, rest } = await peekStream(input.stream);
  // Empty input of no declared format has no rows; it is not a CSV without a header.
  const format = first === '' && given === undefined && !/\.csv$/i.test(input.name) ? 'ndjson' : recordFormatFor(input, given, first);
  // Input must be UTF-8: a byte sequence that is not stops the import at its line (never a silent U+FFFD).
  // Lines are counted as the format's reader counts them: CSV ends a line at LF, CRLF or a lone CR; NDJSON at LF.
  const csv = format === 'csv';
  async function* counted() {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let line = 1;
    let pending: Buffer = Buffer.alloc(0); // the start of a character the last read cut off
    let lastCr = false; // the last read ended with CR (a CRLF split between reads is one line end)
    for await (const chunk of rest) {
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
        throw new InputError(`${input.name}:${bad.line}: not valid UTF-8`, [], 'convert the file to UTF-8; nothing was written');
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
      throw new InputError(`${input.name}:${line}: not valid UTF-8 (truncated character at the end)`, [], 'convert the file to UTF-8; nothing was written');
    }
  }
  const records = format === 'csv' ? readCsv(input, boundCsvRecords(counted()), columns) : readNdjson(input, counted(), columns);
  return { format, records };
}

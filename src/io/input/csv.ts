import { InputError } from '../../errors.js';
import type { Input } from './open.js';
import { MAX_RECORD_BYTES, overLimit, type ImportColumns, type InputRecord } from './record.js';

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

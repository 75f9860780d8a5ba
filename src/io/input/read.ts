import { boundCsvRecords, readCsv } from './csv.js';
import { peekStream, recordFormatFor } from './format.js';
import { readNdjson } from './ndjson.js';
import type { Input } from './open.js';
import type { ImportColumns, InputRecord, RecordFormat } from './record.js';
import { checkedUtf8 } from './utf8.js';

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
  const text = checkedUtf8(input.name, rest, format === 'csv', onBytes);
  const records = format === 'csv' ? readCsv(input, boundCsvRecords(text), columns) : readNdjson(input, text, columns);
  return { format, records };
}

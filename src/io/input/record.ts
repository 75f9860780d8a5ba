import type { InputProblem } from '../../errors.js';

/** The formats an import reads. */
export type RecordFormat = 'csv' | 'ndjson';

/** The longest line or CSV record accepted; a longer one is a bad row, not an out-of-memory crash. */
export const MAX_RECORD_BYTES = 1 << 20;

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

/** Whether text is longer than MAX_RECORD_BYTES in UTF-8 (counted only when it could be: a UTF-16 unit is at most 3 bytes). */
export function overLimit(text: string): boolean {
  return text.length * 3 > MAX_RECORD_BYTES && Buffer.byteLength(text) > MAX_RECORD_BYTES;
}

import type { InputProblem } from '../../errors.js';
import { safeJson } from '../sanitize.js';
import { readLines } from './lines.js';
import type { Input } from './open.js';
import { MAX_RECORD_BYTES, type ImportColumns, type InputRecord } from './record.js';

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

// What the bench scripts share: where data goes, how consort is run, and the generated files.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeEvents, writePeopleCsv } from './generate.mjs';

export const DATA = new URL('./data/', import.meta.url).pathname;
export const BIN = new URL('../bin/consort', import.meta.url).pathname;
export const ENV = { ...process.env, CONSORT_ACTOR: 'bench', NO_COLOR: '1' };

/** Removes a SQLite database with its WAL files. */
export function removeDatabase(file) {
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
}

/** The CSV of `rows` generated people in DATA, written the first time it is asked for. */
export async function peopleCsv(rows) {
  mkdirSync(DATA, { recursive: true });
  const csv = join(DATA, `people-${rows}.csv`);
  if (!existsSync(csv)) {
    console.error(`bench: generating ${rows} people…`);
    await writePeopleCsv(csv + '.tmp', rows);
    renameSync(csv + '.tmp', csv);
  }
  return csv;
}

/**
 * The NDJSON and CSV files of `rows` generated site events in DATA, by members among the first
 * `people` generated people (`rows` unless given), every other one on the document `bench-doc`;
 * written the first time they are asked for.
 */
export async function eventFiles(rows, people = rows) {
  mkdirSync(DATA, { recursive: true });
  const name = people === rows ? `events-${rows}` : `events-${rows}-of-${people}`;
  const ndjson = join(DATA, `${name}.ndjson`);
  const csv = join(DATA, `${name}.csv`);
  if (!existsSync(ndjson) || !existsSync(csv)) {
    console.error(`bench: generating ${rows} events of ${people} people…`);
    await writeEvents(ndjson + '.tmp', csv, rows, people, 'bench-doc');
    renameSync(ndjson + '.tmp', ndjson);
  }
  return { ndjson, csv };
}

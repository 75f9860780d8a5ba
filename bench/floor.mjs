// Where an import's time goes, against the sqlite3 .import baseline of npm run bench: for the
// member import and the activity import, what reading and checking the file costs alone (no
// database), and what the import's database work costs in SQL alone (no JavaScript).
// Usage: npm run bench:floor   (BENCH_ROWS=100000 by default)
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BIN, DATA, ENV, eventFiles, peopleCsv, removeDatabase } from './common.mjs';
import { ACTIVITY_TALLY, IMPORT_PRAGMAS, MEMBER_TABLES, sqliteActivityFloor, sqliteMemberFloor } from './floors.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

const seconds = (f) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
};
const consort = (...args) => execFileSync(process.execPath, [BIN, ...args, '-q'], { env: ENV });
const sqlite3 = (db, text) => execFileSync('sqlite3', [db, text]).toString();

/** Bundles a script that reads `file` with consort's own reader and `schema`'s row check, writing nothing. */
async function parseOnly(outfile, schemaModule, columns, schema) {
  await build({
    stdin: {
      contents: `
        import { createReadStream } from 'node:fs';
        import { readRecords } from './src/io/input/read.ts';
        import { rowParser } from './src/domain/shared/schema.ts';
        import { ${columns}, ${schema} } from '${schemaModule}';
        const file = process.argv[2];
        const parse = rowParser(${schema});
        const { records } = await readRecords({ name: file, stream: createReadStream(file), isPipe: false }, undefined, ${columns});
        let bad = 0;
        for await (const r of records) if (r.problem || Array.isArray(parse(r.fields, r.line, file))) bad++;
        if (bad) throw new Error(bad + ' bad rows');`,
      resolveDir: new URL('..', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  return (file) => seconds(() => execFileSync(process.execPath, [outfile, file]));
}

/** Prints one import's floor: each part's seconds and its ratio to .import. */
function report(title, dotImport, parts) {
  console.log(title);
  console.table([['sqlite3 .import into one table', dotImport], ...parts].map(([work, s]) => ({ work, seconds: +s.toFixed(2), 'x .import': +(s / dotImport).toFixed(1) })));
}

const ref = join(DATA, 'floor-ref.db');
const db = join(DATA, 'floor.db');
const target = join(DATA, 'floor-sql.db');
const runners = [join(DATA, 'floor-parse-members.mjs'), join(DATA, 'floor-parse-events.mjs')];
try {
  // Member import. 1. sqlite3 .import, the baseline of npm run bench.
  const csv = await peopleCsv(ROWS);
  removeDatabase(ref);
  sqlite3(ref, 'create table people (name text, email text unique, organization text, status text, newsletter text)');
  const memberDotImport = seconds(() => sqlite3(ref, `.import --csv --skip 1 ${csv} people`));

  // 2. The whole consort import.
  removeDatabase(db);
  consort('init', '--db', db);
  const memberImport = seconds(() => consort('member', 'import', csv, '--db', db));

  // 3. Reading and checking only.
  const readMembers = await parseOnly(runners[0], './src/domain/member/member.schema.ts', 'MEMBER_COLUMNS', 'memberRowSchema');
  const memberParse = readMembers(csv);

  // 4. Writing only: the rows that import added, copied by SQL into a fresh database of the same
  // schema; then the same without foreign-key checks, the least any import of these rows could cost.
  const memberSql = sqliteMemberFloor(db);
  const memberSqlNoKeys = sqliteMemberFloor(db, ['pragma foreign_keys = off;', ...IMPORT_PRAGMAS.slice(1)]);
  const written = MEMBER_TABLES.map((t) => `${sqlite3(db, `select count(*) from ${t}`).trim()} ${t}`).join(', ');
  report(`consort bench floor: member import of ${ROWS} rows; it writes ${written}`, memberDotImport, [
    ['consort member import', memberImport],
    ['reading and checking the file only (no database)', memberParse],
    ["writing the import's rows only (SQL, no JavaScript)", memberSql],
    ['the same, without foreign-key checks', memberSqlNoKeys],
  ]);

  // Activity import, into the database the member import made (as npm run bench does).
  consort('document', 'add', 'bench-doc', '--title', 'Bench', '--db', db);
  removeDatabase(target);
  sqlite3(db, `vacuum into '${target}'`);
  const events = await eventFiles(ROWS);
  sqlite3(ref, 'create table activity (email text, action text, at text, document text)');
  const eventDotImport = seconds(() => sqlite3(ref, `.import --csv --skip 1 ${events.csv} activity`));
  const eventImport = seconds(() => consort('activity', 'import', events.ndjson, '--db', db));
  const readEvents = await parseOnly(runners[1], './src/domain/activity/activity.schema.ts', 'ACTIVITY_COLUMNS', 'activityRowSchema');
  const eventParse = readEvents(events.ndjson);
  // The same work in SQL: each event's member and document looked up (the generated addresses are
  // their own keys), the event written, and the participation counts summed. No duplicate check.
  const { seconds: eventSql, wrote: recorded } = sqliteActivityFloor(target, events.csv);
  // Both must have recorded the same events and counts, or the floor measures other work.
  if (recorded !== sqlite3(db, ACTIVITY_TALLY).trim()) throw new Error(`the SQL wrote ${recorded}; the import ${sqlite3(db, ACTIVITY_TALLY).trim()}`);
  report(`consort bench floor: activity import of ${ROWS} NDJSON events; it writes ${recorded}`, eventDotImport, [
    ['consort activity import', eventImport],
    ['reading and checking the file only (no database)', eventParse],
    ['looking up, writing and counting only (SQL, no JavaScript)', eventSql],
  ]);
} finally {
  // Nothing is left behind, even when a step fails.
  for (const f of [ref, db, target]) removeDatabase(f);
  for (const r of runners) rmSync(r, { force: true });
}

// consort's performance targets (SPEC section 7), measured side by side in one run.
// Usage: npm run bench            (1M rows; BENCH_ROWS=100000 for a quick run)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeEvents, writePeopleCsv } from './generate.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DATA = new URL('./data/', import.meta.url).pathname;
const BIN = new URL('../bin/consort', import.meta.url).pathname;
const ENV = { ...process.env, CONSORT_ACTOR: 'bench', NO_COLOR: '1' };

for (const tool of ['sqlite3', '/usr/bin/time']) {
  if (spawnSync('which', [tool]).status !== 0) {
    console.error(`bench: needs ${tool} (apt-get install -y sqlite3 time)`);
    process.exit(2);
  }
}

/** Runs a command once; returns seconds of wall time and peak RSS in MB. */
function measure(cmd, args, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { env: ENV, encoding: 'utf8', maxBuffer: 1 << 30, ...opts, stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').at(-1).split(' ');
  return { seconds: Number(last[0]), mb: Number(last[1]) / 1024 };
}

/** Median wall time of `n` runs, in milliseconds (for start-up costs). */
function median(cmd, args, n = 15) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    execFileSync(cmd, args, { env: ENV, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}

const results = [];
function report(work, ours, theirs, target, unit = 's') {
  const ratio = ours / theirs;
  results.push({ work, ours: +ours.toFixed(3), baseline: +theirs.toFixed(3), unit, ratio: +ratio.toFixed(2), target, ok: ratio <= target });
}

mkdirSync(DATA, { recursive: true });
const csv = join(DATA, `people-${ROWS}.csv`);
if (!existsSync(csv)) {
  console.error(`bench: generating ${ROWS} people…`);
  await writePeopleCsv(csv + '.tmp', ROWS);
  renameSync(csv + '.tmp', csv);
}

// 1. Cold start.
const node0 = median(process.execPath, ['-e', '0']);
report('consort --version cold start', median(process.execPath, [BIN, '--version']), node0, 1.15, 'ms');

// 2. member import vs sqlite3 .import of the same file into a table of the same shape.
const db = join(DATA, 'bench.db');
const ref = join(DATA, 'ref.db');
for (const f of [db, ref]) for (const s of ['', '-wal', '-shm']) rmSync(f + s, { force: true });
execFileSync(process.execPath, [BIN, 'init', '--db', db], { env: ENV, stdio: 'ignore' });
execFileSync('sqlite3', [ref, 'create table people (name text, email text unique, organization text, status text, newsletter text)']);
const sqliteImport = measure('sqlite3', [ref, '.import --csv --skip 1 ' + csv + ' people']);
const consortImport = measure(process.execPath, [BIN, 'member', 'import', csv, '--db', db, '-q']);
report(`member import of ${ROWS} rows CSV`, consortImport.seconds, sqliteImport.seconds, 3);

// 3. member show on the big database.
report(`member show on ${ROWS}-person database`, median(process.execPath, [BIN, 'member', 'show', `person${ROWS >> 1}@org${(ROWS >> 1) % 500}.example.org`, '--db', db, '--format', 'json']), node0, 1.5, 'ms');

// 3b. activity import vs sqlite3 .import of the same events as CSV into a table of the same shape.
const events = join(DATA, `events-${ROWS}.ndjson`);
const eventsCsv = join(DATA, `events-${ROWS}.csv`);
if (!existsSync(events)) {
  await writeEvents(events + '.tmp', eventsCsv, ROWS, ROWS, 'bench-doc');
  renameSync(events + '.tmp', events);
}
execFileSync(process.execPath, [BIN, 'document', 'add', 'bench-doc', '--title', 'Bench', '--db', db, '-q'], { env: ENV, stdio: 'ignore' });
execFileSync('sqlite3', [ref, 'create table activity (email text, action text, at text, document text)']);
const sqliteEvents = measure('sqlite3', [ref, '.import --csv --skip 1 ' + eventsCsv + ' activity']);
const consortEvents = measure(process.execPath, [BIN, 'activity', 'import', events, '--db', db, '-q']);
report(`activity import of ${ROWS} NDJSON events`, consortEvents.seconds, sqliteEvents.seconds, 3);

// 4. newsletter export vs sqlite3 -csv of the equivalent query.
const query = `select p.name, p.email from person p where (select c.action from consent_event c where c.person_id = p.id and c.purpose = 'newsletter' and c.document_id is null order by c.at desc, c.id desc limit 1) = 'grant' order by p.id`;
const sqliteExport = measure('sqlite3', ['-csv', db, query]);
const consortExport = measure(process.execPath, [BIN, 'newsletter', 'export', '--format', 'csv', '--db', db, '-q']);
report('newsletter export (csv)', consortExport.seconds, sqliteExport.seconds, 3);
results.push({ work: 'newsletter export peak memory', ours: +consortExport.mb.toFixed(1), baseline: 150, unit: 'MB', ratio: +(consortExport.mb / 150).toFixed(2), target: 1, ok: consortExport.mb <= 150 });

console.table(results);
console.log(JSON.stringify({ rows: ROWS, node: process.version, results }));
process.exitCode = results.every((r) => r.ok) ? 0 : 3;

// Where a member import's time goes, against the sqlite3 .import baseline: what reading and
// checking the file costs alone (no database), and what writing the rows an import adds costs
// in SQL alone (no JavaScript). Usage: npm run bench:floor   (BENCH_ROWS=100000 by default)
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BIN, DATA, ENV, peopleCsv, removeDatabase } from './common.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

const csv = await peopleCsv(ROWS);
const seconds = (f) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
};

const ref = join(DATA, 'floor-ref.db');
const db = join(DATA, 'floor.db');
const target = join(DATA, 'floor-sql.db');
const runner = join(DATA, 'floor-parse.mjs');
try {
  // 1. sqlite3 .import, the baseline of npm run bench.
  removeDatabase(ref);
  execFileSync('sqlite3', [ref, 'create table people (name text, email text unique, organization text, status text, newsletter text)']);
  const dotImport = seconds(() => execFileSync('sqlite3', [ref, `.import --csv --skip 1 ${csv} people`]));

  // 2. The whole consort import.
  removeDatabase(db);
  execFileSync(process.execPath, [BIN, 'init', '--db', db, '-q'], { env: ENV });
  const consort = seconds(() => execFileSync(process.execPath, [BIN, 'member', 'import', csv, '--db', db, '-q'], { env: ENV }));

  // 3. Reading and checking only: consort's own reader and row schema over the file, writing nothing.
  await build({
    stdin: {
      contents: `
        import { createReadStream } from 'node:fs';
        import { readRecords } from './src/io/input.ts';
        import { rowParser } from './src/domain/schema.ts';
        import { MEMBER_COLUMNS, memberRowSchema } from './src/domain/member/member.schema.ts';
        const file = process.argv[2];
        const parse = rowParser(memberRowSchema);
        const { records } = await readRecords({ name: file, stream: createReadStream(file), isPipe: false }, undefined, MEMBER_COLUMNS);
        let bad = 0;
        for await (const r of records) if (r.problem || Array.isArray(parse(r.fields, r.line, file))) bad++;
        if (bad) throw new Error(bad + ' bad rows');`,
      resolveDir: new URL('..', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: runner,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  const parseOnly = seconds(() => execFileSync(process.execPath, [runner, csv]));

  // 4. Writing only: the rows that import added, copied by SQL into a fresh database of the same schema.
  removeDatabase(target);
  execFileSync(process.execPath, [BIN, 'init', '--db', target, '-q'], { env: ENV });
  execFileSync('sqlite3', [target, `attach '${db}' as src; insert into organisation select * from src.organisation;`]);
  const tables = ['person', 'disclosure', 'notice', 'consent_event'];
  const copy = [
    'pragma foreign_keys = on;',
    'pragma cache_size = -131072;',
    `attach '${db}' as src;`,
    ...tables.map((t) => `create temp table staged_${t} as select * from src.${t};`),
    '.timer on',
    'begin;',
    ...tables.map((t) => `insert into ${t} select * from staged_${t};`),
    'commit;',
  ].join('\n');
  const timed = spawnSync('sqlite3', [target], { input: copy, encoding: 'utf8' });
  if (timed.status !== 0) throw new Error(timed.stderr);
  const sqlOnly = timed.stdout.split('\n').filter((l) => l.startsWith('Run Time')).reduce((sum, l) => sum + Number(/real ([\d.]+)/.exec(l)[1]), 0);
  const written = Object.fromEntries(tables.map((t) => [t, Number(execFileSync('sqlite3', [db, `select count(*) from ${t}`]).toString())]));

  const row = (work, s) => ({ work, seconds: +s.toFixed(2), 'x .import': +(s / dotImport).toFixed(1) });
  console.log(`consort bench floor: member import of ${ROWS} rows; it writes ${Object.entries(written).map(([t, n]) => `${n} ${t}`).join(', ')}`);
  console.table([
    row('sqlite3 .import into one table', dotImport),
    row('consort member import', consort),
    row('reading and checking the file only (no database)', parseOnly),
    row("writing the import's rows only (SQL, no JavaScript)", sqlOnly),
  ]);
} finally {
  // Nothing is left behind, even when a step fails.
  for (const f of [ref, db, target]) removeDatabase(f);
  rmSync(runner, { force: true });
}

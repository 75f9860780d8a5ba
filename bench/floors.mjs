// Each import's floor (SPEC section 7): the rows it must write, copied by the database's own SQL
// (insert … select from tables holding exactly those rows, foreign keys on), no parsing and no
// JavaScript. Shared by npm run bench (the ratio to the floor) and npm run bench:floor.
import { execFileSync, spawnSync } from 'node:child_process';
import { BIN, DATA, ENV, removeDatabase } from './common.mjs';
import { join } from 'node:path';

/** What consort's imports set on SQLite (src/domain/import/import.ts), so SQL alone runs as they do; the activity import also maps the file. */
export const IMPORT_PRAGMAS = ['pragma foreign_keys = on;', 'pragma cache_size = -131072;'];
export const MAPPED = 'pragma mmap_size = 2147418112;';
/** The tables a member import writes besides organisations (copied before the timing starts). */
export const MEMBER_TABLES = ['person', 'disclosure', 'notice', 'consent_event'];

const consort = (...args) => execFileSync(process.execPath, [BIN, ...args, '-q'], { env: ENV });
const sqlite3 = (db, text) => execFileSync('sqlite3', [db, text]).toString();

/**
 * Writes out what the steps before left in the kernel's cache (a copied database is hundreds of
 * MB): done before every timed part, of the floors and of the bench's runs of consort, so that
 * none pays for the writes of the step before it.
 */
export const settle = () => execFileSync('sync');

/** Seconds of the statements after `.timer on` in `script`, run by the sqlite3 CLI on `db`. */
export function timedSql(db, script) {
  const run = spawnSync('sqlite3', [db], { input: script.join('\n'), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.split('\n').filter((l) => l.startsWith('Run Time')).reduce((sum, l) => sum + Number(/real ([\d.]+)/.exec(l)[1]), 0);
}

/**
 * SQLite, member import: the rows the import wrote into `imported` copied straight from it into
 * a fresh database of the same schema, with `pragmas` (foreign keys on by default).
 */
export function sqliteMemberFloor(imported, pragmas = IMPORT_PRAGMAS) {
  const target = join(DATA, 'floor-sql.db');
  removeDatabase(target);
  consort('init', '--db', target);
  sqlite3(target, `attach '${imported}' as src; insert into organisation select * from src.organisation;`);
  try {
    settle();
    return timedSql(target, [...pragmas, `attach '${imported}' as src;`, '.timer on', 'begin;', ...MEMBER_TABLES.map((t) => `insert into main.${t} select * from src.${t};`), 'commit;']);
  } finally {
    removeDatabase(target);
  }
}

const EVENTS_SQL = (recordedAt = "'2026-01-01T00:00:00.000Z'") => [
  `insert into activity (person_id, at, action, document_id, detail, recorded_at)
     select p.id, s.at, s.action, d.id, null, ${recordedAt} from staged s
     join person p on p.email_key = s.email and p.status = 'member' left join document d on d.slug = nullif(s.document, '');`,
  `insert into participation (document_id, person_id, activities)
     select document_id, person_id, count(*) from activity where document_id is not null group by document_id, person_id;`,
];

/**
 * SQLite, activity import: each event's member and document looked up, the event written and the
 * participation counts summed, by two insert … select statements over the events loaded into a
 * temporary table (not timed), in a copy of `people` (a database holding the members). The copy
 * is put in WAL mode, as consort puts every database it opens (a `vacuum into` copy has a rollback
 * journal: measured at 1M, the floor 2-4% faster that way). Returns the seconds and what it
 * wrote, for a check against the import.
 */
export function sqliteActivityFloor(people, eventsCsv) {
  const target = join(DATA, 'floor-events.db');
  removeDatabase(target);
  sqlite3(people, `vacuum into '${target}'`);
  sqlite3(target, 'pragma journal_mode = wal');
  try {
    settle();
    const seconds = timedSql(target, [...IMPORT_PRAGMAS, MAPPED, 'create temp table staged (email text, action text, at text, document text);', `.import --csv --skip 1 ${eventsCsv} staged`, '.timer on', 'begin;', ...EVENTS_SQL(), 'commit;']);
    return { seconds, wrote: sqlite3(target, ACTIVITY_TALLY).trim() };
  } finally {
    removeDatabase(target);
  }
}

/** What an activity import wrote: events, participation pairs and their sum. */
export const ACTIVITY_TALLY = "select count(*) || ' activity rows, participation ' || (select count(*) || ' pairs, ' || coalesce(sum(activities), 0) || ' activities' from participation) from activity";

/** Seconds of `statements`, run in one transaction by psql on `url` (with \timing). */
function timedPsql(url, statements) {
  const out = execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', url], { input: ['\\timing on', 'begin;', ...statements, 'commit;'].join('\n'), encoding: 'utf8' });
  return out.split('\n').filter((l) => l.startsWith('Time:')).reduce((sum, l) => sum + Number(/Time: ([\d.]+) ms/.exec(l)[1]) / 1000, 0);
}

/**
 * PostgreSQL, member import: the rows the import wrote into database `imported` copied (\copy,
 * not timed) into unlogged staging tables of a fresh consort database `floor`, then timed: one
 * insert … select a table, in one transaction, foreign keys on.
 */
export function postgresMemberFloor(base, imported, floor = 'bench_floor') {
  const psql = (db, ...args) => execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', `${base}/${db}`, ...args], { encoding: 'utf8' });
  psql('postgres', '-c', `drop database if exists ${floor}`, '-c', `create database ${floor}`);
  consort('init', '--db', `${base}/${floor}`);
  for (const t of ['organisation', ...MEMBER_TABLES]) {
    psql(floor, '-c', `create unlogged table s_${t} (like ${t})`);
    execFileSync('sh', ['-c', `psql -q "$FROM" -c '\\copy ${t} to stdout' | psql -q -v ON_ERROR_STOP=1 "$TO" -c '\\copy s_${t} from stdin'`], { env: { ...process.env, FROM: `${base}/${imported}`, TO: `${base}/${floor}` } });
  }
  psql(floor, '-c', 'insert into organisation select * from s_organisation', '-c', 'vacuum analyze');
  try {
    settle();
    return timedPsql(`${base}/${floor}`, MEMBER_TABLES.map((t) => `insert into ${t} select * from s_${t};`));
  } finally {
    psql('postgres', '-c', `drop database if exists ${floor}`);
  }
}

/**
 * PostgreSQL, activity import: as on SQLite, in a copy of database `people` (created from it as a
 * template), the events loaded into an unlogged table first (not timed).
 */
export function postgresActivityFloor(base, people, eventsCsv, floor = 'bench_floor') {
  const psql = (db, ...args) => execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', `${base}/${db}`, ...args], { encoding: 'utf8' });
  psql('postgres', '-c', `drop database if exists ${floor}`, '-c', `create database ${floor} template ${people}`);
  psql(floor, '-c', 'create unlogged table staged (email text, action text, at text, document text)', '-c', `\\copy staged from '${eventsCsv}' csv header`, '-c', 'vacuum analyze');
  try {
    settle();
    const seconds = timedPsql(`${base}/${floor}`, EVENTS_SQL());
    return { seconds, wrote: psql(floor, '-Atc', ACTIVITY_TALLY).trim() };
  } finally {
    psql('postgres', '-c', `drop database if exists ${floor}`);
  }
}

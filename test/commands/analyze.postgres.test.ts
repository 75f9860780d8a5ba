/**
 * PostgreSQL only: a bulk import brings the planner's statistics of the tables it filled up to
 * date before it commits (analyzeTables), so the commands right after it do not plan on tables
 * taken for empty. Autovacuum is turned off for the test's tables, so any statistics are the
 * import's own.
 */
import { runCli } from '../helpers/cli.js';
import { execAt, newDatabase, rowsAt } from '../helpers/db.js';

const TABLES = ['person', 'organisation', 'consent_event', 'disclosure', 'notice', 'activity', 'participation'];

async function database() {
  const db = await newDatabase();
  expect((await runCli(['init', '--db', db])).code).toBe(0);
  await execAt(db, TABLES.map((t) => `alter table ${t} set (autovacuum_enabled = off);`).join('\n'));
  return db;
}

/** The tables with planner statistics (pg_stats has rows for a table only once it was analysed). */
async function analysed(db: string): Promise<string[]> {
  const rows = await rowsAt<{ tablename: string }>(db, `select distinct tablename from pg_stats where schemaname = current_schema() and tablename in (${TABLES.map((t) => `'${t}'`).join(', ')}) order by tablename`);
  return rows.map((r) => r.tablename);
}

const people = (n: number) => `name,email,organization,status\n${Array.from({ length: n }, (_, i) => `Person ${i},p${i}@example.org,Org ${i % 50},member`).join('\n')}\n`;

test('an import of 10,000 rows or more analyses the tables it wrote; a smaller one leaves them to autovacuum', async () => {
  const small = await database();
  expect((await runCli(['member', 'import', '-', '--db', small], { stdin: people(100) })).code).toBe(0);
  expect(await analysed(small)).toEqual([]);

  const db = await database();
  expect((await runCli(['member', 'import', '-', '--db', db], { stdin: people(10_000) })).code).toBe(0);
  expect(await analysed(db)).toEqual(['consent_event', 'disclosure', 'notice', 'organisation', 'person']);
  const estimate = await rowsAt<{ reltuples: number }>(db, "select reltuples from pg_class where relname = 'disclosure'");
  expect(Number(estimate[0]!.reltuples)).toBe(20_000);

  expect((await runCli(['document', 'add', 'spec', '--title', 'Spec', '--db', db])).code).toBe(0);
  const events = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ email: `p${i}@example.org`, action: 'edit', at: '2026-02-01T09:00:00Z', document: 'spec' })).join('\n') + '\n';
  expect((await runCli(['activity', 'import', '-', '--format', 'ndjson', '--db', db], { stdin: events })).code).toBe(0);
  expect(await analysed(db)).toEqual(TABLES.slice().sort());
});

test('a dry run analyses nothing: its rows, and the statistics, are rolled back', async () => {
  const db = await database();
  expect((await runCli(['member', 'import', '-', '--dry-run', '--db', db], { stdin: people(10_000) })).code).toBe(0);
  expect(await analysed(db)).toEqual([]);
});

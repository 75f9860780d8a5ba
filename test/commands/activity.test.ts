import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase, onPostgres, rowsAt, execAt, rejection, BEFORE_0009 } from '../helpers/db.js';

const MARKER = 'zq-secret-activity-marker';

async function setup() {
  const dir = tempDir();
  const db = await newDatabase(dir);
  await runCli(['init', '--db', db]);
  const run = (...argv: string[]) => runCli([...argv, '--db', db]);
  await run('member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--org', 'Engines');
  await run('member', 'add', '--name', 'Bo', '--email', 'bo@example.org', '--status', 'member');
  await run('member', 'add', '--name', 'Carl', '--email', 'carl@example.org', '--newsletter');
  await run('document', 'add', 'spec', '--title', 'The Spec', '--release-on', '2026-06-30');
  return { dir, db, run };
}

describe('activity import', () => {
  test('an event repeated in the file, or imported again, is recorded and counted once, with or without a document', async () => {
    const { dir, run } = await setup();
    const file = join(dir, 'log.ndjson');
    const lines = [
      '{"email":"ada@example.org","action":"edit","at":"2026-02-01T09:00:00Z","document":"spec"}',
      '{"email":"ADA@example.org","action":"edit","at":"2026-02-01T09:00:00Z","document":"spec"}',
      '{"email":"ada@example.org","action":"login","at":"2026-02-01T08:00:00Z"}',
      '{"email":"ada@example.org","action":"login","at":"2026-02-01T08:00:00Z"}',
      '{"email":"bo@example.org","action":"edit","at":"2026-02-02T09:00:00Z","document":"spec"}',
      '{"email":"ada@example.org","action":"edit","at":"2026-02-03T09:00:00Z","document":"spec"}',
    ];
    writeFileSync(file, lines.join('\n') + '\n');
    const first = await run('activity', 'import', file);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/added 4, skipped 2/);
    const again = await run('activity', 'import', file);
    expect(again.stderr).toMatch(/skipped 6/);
    expect(JSON.parse((await run('activity', 'list', '--format', 'json')).stdout)).toHaveLength(4);
    const participants = JSON.parse((await run('document', 'participants', 'spec', '--format', 'json')).stdout) as Array<{ email: string; activities: number }>;
    expect(participants.map((p) => [p.email, p.activities])).toEqual([['ada@example.org', 2], ['bo@example.org', 1]]);
  });

  test('a file is one transaction: a bad line writes nothing and is reported as file:line', async () => {
    const { dir, run } = await setup();
    const file = join(dir, 'log.ndjson');
    writeFileSync(file, [
      '{"email":"ada@example.org","action":"edit","at":"2026-02-01T09:00:00Z","document":"spec"}',
      '{"email":"carl@example.org","action":"view","at":"2026-02-01T09:00:00Z"}',
      '{not json',
      '{"email":"nobody@example.org","action":"edit","at":"2026-02-01"}',
      '{"email":"bo@example.org","action":"edit","at":"yesterday"}',
      '{"email":"bo@example.org","action":"edit","at":"2026-02-01","document":"nope"}',
      '{"email":"bo@example.org","action":"edit","at":"2026-02-01","detail":"x"}',
    ].join('\n') + '\n');
    const r = await run('activity', 'import', file);
    expect(r.code).toBe(4);
    const problems = r.stderr.split('\n').filter((l) => l.startsWith(`consort: ${file}:`));
    expect(problems.map((l) => l.replace(`consort: ${file}:`, '').split(':')[0])).toEqual(['2', '3', '4', '5', '6', '7']);
    expect(r.stderr).toContain(`${file}:2: email: P5: carl@example.org is a contact`);
    expect(JSON.parse((await run('activity', 'list', '--format', 'json')).stdout)).toEqual([]);
  });

  test('--skip-invalid with --rejects writes the valid lines and the bad ones verbatim', async () => {
    const { dir, run } = await setup();
    const file = join(dir, 'log.csv');
    writeFileSync(file, 'email,action,at,document\nada@example.org,edit,2026-02-01,spec\ncarl@example.org,view,2026-02-01,\n"bo@example.org",comment,2026-02-02T10:00:00+02:00,spec\n');
    const rejects = join(dir, 'rejects.csv');
    const r = await run('activity', 'import', file, '--skip-invalid', '--rejects', rejects);
    expect(r.code).toBe(0);
    expect(readFileSync(rejects, 'utf8')).toBe('carl@example.org,view,2026-02-01,\n');
    const list = JSON.parse((await run('activity', 'list', '--document', 'spec', '--format', 'json')).stdout);
    expect(list.map((a: { email: string; at: string }) => [a.email, a.at])).toEqual([
      ['ada@example.org', '2026-02-01T00:00:00.000Z'],
      ['bo@example.org', '2026-02-02T08:00:00.000Z'],
    ]);
    expect((await run('activity', 'import', file, '--rejects', rejects)).code).toBe(2);
  });

  test('activity list filters by member, action and time range, in every format', async () => {
    const { run } = await setup();
    await run('activity', 'log', 'ada@example.org', 'edit', '--document', 'spec', '--at', '2026-02-01', '--detail', '{"page":"4.2"}');
    await run('activity', 'log', 'ada@example.org', 'comment', '--at', '2026-02-10');
    await run('activity', 'log', 'bo@example.org', 'edit', '--at', '2026-02-20');
    const emails = async (...a: string[]) => JSON.parse((await run('activity', 'list', ...a, '--format', 'json')).stdout).map((x: { email: string; action: string }) => `${x.email} ${x.action}`);
    expect(await emails('--member', 'ADA@example.org')).toEqual(['ada@example.org edit', 'ada@example.org comment']);
    expect(await emails('--action', 'edit')).toEqual(['ada@example.org edit', 'bo@example.org edit']);
    expect(await emails('--since', '2026-02-05', '--until', '2026-02-15')).toEqual(['ada@example.org comment']);
    const tsv = await run('activity', 'list', '--limit', '1');
    expect(tsv.stdout).toBe('at\temail\taction\tdocument\tdetail\n2026-02-01T00:00:00.000Z\tada@example.org\tedit\tspec\t{"page":"4.2"}\n');
    expect((await run('activity', 'list', '--format', 'csv')).stdout.split('\r\n')).toHaveLength(5);
    expect((await run('activity', 'list', '--format', 'ndjson')).stdout.trim().split('\n')).toHaveLength(3);
    expect((await run('activity', 'log', 'ada@example.org', 'edit', '--detail', '[1]')).code).toBe(2);
    expect((await run('activity', 'log', 'carl@example.org', 'edit')).code).toBe(7);
  });

  test('0007: a database with activity migrates; activity keeps two indexes, the unique event index serving a member\'s activity in time order', async () => {
    const { db, run } = await setup();
    await run('activity', 'log', 'ada@example.org', 'comment', '--at', '2026-02-10');
    await run('activity', 'log', 'ada@example.org', 'edit', '--document', 'spec', '--at', '2026-02-01');
    // The database as 0006 left it: the index back, 0007 (and 0008, 0009) not applied.
    await execAt(db, `${BEFORE_0009} create index activity_person_at on activity (person_id, at); drop table audit_head; delete from kysely_migration where name in ('0007-activity-index', '0008-audit-head')`);
    expect((await run('member', 'list')).code).toBe(8);
    const migrated = await run('db', 'migrate');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout + migrated.stderr).toContain('0007-activity-index');
    const indexes = onPostgres
      ? "select indexname as name from pg_indexes where tablename = 'activity' and indexname <> 'activity_pkey' order by 1"
      : "select name from sqlite_master where type = 'index' and tbl_name = 'activity' and sql is not null order by 1";
    expect((await rowsAt<{ name: string }>(db, indexes)).map((r) => r.name)).toEqual(['activity_document_person', 'activity_event_unique']);
    const listed = JSON.parse((await run('activity', 'list', '--member', 'ada@example.org', '--format', 'json')).stdout);
    expect(listed.map((a: { action: string; at: string }) => `${a.at.slice(0, 10)} ${a.action}`)).toEqual(['2026-02-01 edit', '2026-02-10 comment']);
  });
  test('0009: events without a document logged twice by hand before it keep their first; the index then refuses a second', async () => {
    const { dir, db, run } = await setup();
    const event = (detail: string) =>
      `insert into activity (person_id, at, action, document_id, detail, recorded_at) select id, '2026-02-01T08:00:00.000Z', 'login', null, '${detail}', '2026-02-01T08:00:00.000Z' from person where email_key = 'ada@example.org';`;
    // Only the bare document_id index is there (as 0008 left it), so SQL typed by hand can write the pair.
    await execAt(db, `${BEFORE_0009} ${event('{"n":1}')} ${event('{"n":2}')}`);
    expect(await rowsAt(db, "select detail from activity where action = 'login' order by id")).toEqual([{ detail: '{"n":1}' }, { detail: '{"n":2}' }]);
    const migrated = await run('db', 'migrate');
    expect(migrated.code).toBe(0);
    expect(await rowsAt(db, "select detail from activity where action = 'login'")).toEqual([{ detail: '{"n":1}' }]);
    expect(await rejection(execAt(db, event('{"n":3}')))).toMatch(/unique|UNIQUE/);
    // The import finds it by the index alone: already recorded, and one without a document is new.
    const file = join(dir, 'log.ndjson');
    writeFileSync(file, '{"email":"ada@example.org","action":"login","at":"2026-02-01T08:00:00Z"}\n{"email":"ada@example.org","action":"login","at":"2026-02-01T08:00:01Z"}\n');
    const again = await run('activity', 'import', file);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/added 1, skipped 1/);
    expect(await rowsAt(db, "select at from activity where action = 'login' order by at")).toEqual([{ at: '2026-02-01T08:00:00.000Z' }, { at: '2026-02-01T08:00:01.000Z' }]);
  });
});

describe('P10: member activity never appears in an export', () => {
  test('every export command, in every format, of a database with activity', async () => {
    const { run } = await setup();
    await run('consent', 'grant', 'ada@example.org', 'credit');
    for (let i = 0; i < 3; i++) await run('activity', 'log', 'ada@example.org', `${MARKER}-action`, '--document', 'spec', '--at', `2026-02-0${i + 1}`, '--detail', JSON.stringify({ note: `${MARKER}-detail` }));
    const outputs: string[] = [];
    for (const f of ['lines', 'rfc5322', 'csv', 'json', 'ndjson']) outputs.push((await run('newsletter', 'export', '--format', f)).stdout);
    for (const f of ['text', 'markdown', 'csv', 'json', 'cff']) outputs.push((await run('credits', 'export', 'spec', '--format', f)).stdout);
    expect((await run('notice', 'record', 'ada@example.org', '--document', 'spec')).code).toBe(0);
    expect((await run('document', 'release', 'spec', '--yes')).code).toBe(0);
    for (const f of ['text', 'markdown', 'csv', 'json', 'cff']) outputs.push((await run('credits', 'export', 'spec', '--format', f)).stdout);
    for (const f of ['csv', 'tsv', 'json', 'ndjson']) outputs.push((await run('directory', 'export', '--format', f)).stdout);
    for (const f of ['markdown', 'json', 'text']) outputs.push((await run('announce', 'export', '--through', '2026-12-31', '--format', f)).stdout);
    for (const f of ['mbox', 'ndjson', 'csv']) outputs.push((await run('notice', 'export', '--format', f)).stdout);
    for (const by of ['org', 'status', 'month', 'document']) outputs.push((await run('research', 'export', '--by', by, '--format', 'json')).stdout);
    expect(outputs.join('\n')).toContain('ada@example.org');
    expect(outputs.join('\n')).not.toContain(MARKER);
    // Nor does the audit log copy activity into its summaries.
    expect((await run('audit', 'list', '--format', 'json')).stdout).not.toContain(MARKER);
  });
});

describe('documents from the command line', () => {
  test('participants, release confirmation, preview then frozen credits', async () => {
    const { dir, run } = await setup();
    await run('consent', 'grant', 'ada@example.org', 'credit');
    for (let i = 0; i < 3; i++) {
      await run('activity', 'log', 'ada@example.org', 'edit', '--document', 'spec', '--at', `2026-02-0${i + 1}`);
      await run('activity', 'log', 'bo@example.org', 'edit', '--document', 'spec', '--at', `2026-02-0${i + 1}`);
    }
    const twice = await run('activity', 'log', 'bo@example.org', 'edit', '--document', 'spec', '--at', '2026-02-01');
    expect(twice.code).toBe(6);
    expect(twice.stderr).toMatch(/already recorded/);
    const p = await run('document', 'participants', 'spec', '--format', 'json');
    expect(JSON.parse(p.stdout).map((x: { email: string; credited: boolean; reason: string | null }) => [x.email, x.credited, x.reason])).toEqual([
      ['ada@example.org', true, null],
      ['bo@example.org', false, 'no credit consent (ask them: P8)'],
    ]);
    const preview = await run('credits', 'export', 'spec');
    expect(preview.stdout).toBe('Ada, Engines <ada@example.org>\n');
    expect(preview.stderr).toMatch(/not released: this is a preview/);
    const refused = await run('document', 'release', 'spec');
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/\[P9\]/);
    expect((await run('notice', 'record', 'ada@example.org', '--document', 'spec')).code).toBe(0);
    const noYes = await run('document', 'release', 'spec');
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/--yes/);
    expect((await run('document', 'release', 'spec', '--yes')).code).toBe(0);
    const out = join(dir, 'CITATION.cff');
    const frozen = await run('credits', 'export', 'spec', '--format', 'cff', '-o', out);
    expect(frozen.stderr).not.toMatch(/preview/);
    expect(readFileSync(out, 'utf8')).toContain('email: "ada@example.org"');
    expect((await run('document', 'release', 'spec', '--yes')).code).toBe(6);
    expect((await run('document', 'show', 'spec', '--format', 'json')).stdout).toMatch(/"status": "released"/);
    const audit = (await run('audit', 'list', '--format', 'json')).stdout;
    expect(audit).toMatch(/export credits spec edition 1 as cff \(purpose credit, audience public\): 1 rows, sha256 [0-9a-f]{64}/);
    expect((await run('document', 'add', 'Bad Slug', '--title', 'x')).code).toBe(2);
    expect((await run('document', 'add', 'spec', '--title', 'x')).code).toBe(6);
    expect((await run('document', 'schedule', 'nope', '--on', '2026-09-01')).code).toBe(5);
    expect(existsSync(out)).toBe(true);
  });
});

import { runCli } from '../helpers/cli.js';
import { auditHash, type AuditFields } from '../../src/domain/audit/audit.repo.js';
import { execAt, newDatabase, onPostgres, rowsAt, tempDir, rejection, BEFORE_0009, BEFORE_0012 } from '../helpers/db.js';

async function initialised() {
  const dir = tempDir();
  const path = await newDatabase(dir);
  expect((await runCli(['init', '--db', path])).code).toBe(0);
  expect(await runCli(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', path])).toMatchObject({ code: 0 });
  expect(await runCli(['member', 'add', '--name', 'Bo', '--email', 'bo@example.org', '--db', path])).toMatchObject({ code: 0 });
  return { dir, path };
}

/** Opens the database directly, as an intruder would, with the append-only triggers removed. */
async function tamper(path: string, sql: string) {
  const on = onPostgres ? ' on audit_entry' : '';
  await execAt(path, `drop trigger audit_entry_no_update${on}; drop trigger audit_entry_no_delete${on}; ${sql}`);
}

describe('database', () => {
  test('db check and audit verify pass on a sound database', async () => {
    const { path } = await initialised();
    const check = await runCli(['db', 'check', '--format', 'json', '--db', path]);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, integrity: 'ok', foreign_key_violations: 0, audit: { ok: true, entries: 3 } });
    expect((await runCli(['audit', 'verify', '--db', path])).code).toBe(0);
  });

  test('P8: db check exits 3 when a participation count differs from the activity it counts, either way round', async () => {
    const { path } = await initialised();
    expect((await runCli(['member', 'add', '--name', 'Cy', '--email', 'cy@example.org', '--status', 'member', '--db', path])).code).toBe(0);
    expect((await runCli(['document', 'add', 'spec', '--title', 'Spec', '--db', path])).code).toBe(0);
    const log = async (...args: string[]) => expect((await runCli(['activity', 'log', ...args, '--db', path])).code).toBe(0);
    await log('ada@example.org', 'edit', '--document', 'spec', '--at', '2026-02-01');
    await log('ada@example.org', 'edit', '--document', 'spec', '--at', '2026-02-02');
    await log('cy@example.org', 'edit', '--document', 'spec', '--at', '2026-02-01');
    // Activity without a document is counted nowhere, and is no mismatch.
    await log('ada@example.org', 'login', '--at', '2026-02-01');
    const sound = await runCli(['db', 'check', '--format', 'json', '--db', path]);
    expect(sound.code).toBe(0);
    expect(JSON.parse(sound.stdout)).toMatchObject({ ok: true, participation_mismatches: 0 });
    // Ada counted too high, Cy's count gone, and a count for Bo, who has no activity at all.
    const id = (email: string) => `(select id from person where email_key = '${email}')`;
    await execAt(
      path,
      `update participation set activities = 3 where person_id = ${id('ada@example.org')}; delete from participation where person_id = ${id('cy@example.org')};
       insert into participation (document_id, person_id, activities) select d.id, ${id('bo@example.org')}, 5 from document d`,
    );
    const r = await runCli(['db', 'check', '--format', 'json', '--db', path]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, participation_mismatches: 3, problems: ['participation: 3 (document, member) counts differ from the activity recorded'] });
    expect(r.stderr).toMatch(/database check found 1 problem\(s\): participation: 3 \(document, member\) counts differ/);
  });

  test('P4: audit verify exits 3 and names the first bad entry when a row is altered', async () => {
    const { path } = await initialised();
    await tamper(path, "update audit_entry set summary = 'nothing happened' where seq = 2");
    const r = await runCli(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/audit chain broken at entry 2: entry was altered/);
    expect((await runCli(['db', 'check', '--db', path])).code).toBe(3);
  });

  test('P4: audit verify exits 3 when a row is removed', async () => {
    const { path } = await initialised();
    await tamper(path, 'delete from audit_entry where seq = 2');
    const r = await runCli(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/entry 2 is missing/);
  });

  test('P4: audit verify exits 3 when the newest rows are removed from the end', async () => {
    const { path } = await initialised();
    await tamper(path, 'delete from audit_entry where seq = 3');
    const r = await runCli(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/audit chain broken at entry 3: entry 3 is missing from the end of the log/);
    expect((await runCli(['db', 'check', '--db', path])).code).toBe(3);
    await execAt(path, 'delete from audit_entry where seq = 2');
    expect((await runCli(['audit', 'verify', '--db', path])).stderr).toMatch(/entry 2–3 is missing from the end of the log/);
    // The next change follows the recorded head: the cut stays a gap, named, not written over.
    expect((await runCli(['member', 'add', '--name', 'Cy', '--email', 'cy@example.org', '--db', path])).code).toBe(0);
    const after = await runCli(['audit', 'verify', '--db', path]);
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/audit chain broken at entry 4: entry 2–3 is missing/);
  });

  test('P4: audit verify exits 3 when the newest row is replaced, or a row appended, outside consort', async () => {
    const { path } = await initialised();
    // A last entry rewritten with a hash that chains correctly: only the recorded head tells.
    const [last] = await rowsAt<AuditFields & { prev_hash: string }>(path, 'select * from audit_entry where seq = 3');
    const forged = { ...last!, seq: 3, summary: 'nothing happened' };
    await tamper(path, `update audit_entry set summary = 'nothing happened', hash = '${auditHash(last!.prev_hash, forged)}' where seq = 3`);
    const replaced = await runCli(['audit', 'verify', '--db', path]);
    expect(replaced.code).toBe(3);
    expect(replaced.stderr).toMatch(/entry 3: the last entry is not the one consort wrote/);

    const { path: other } = await initialised();
    const [tail] = await rowsAt<{ hash: string }>(other, 'select hash from audit_entry where seq = 3');
    const added = { seq: 4, at: '2026-03-01T10:00:00.000Z', actor: 'someone', command: 'member add', summary: 'added nobody' };
    await execAt(other, `insert into audit_entry (seq, at, actor, command, summary, prev_hash, hash) values (4, '${added.at}', 'someone', 'member add', 'added nobody', '${tail!.hash}', '${auditHash(tail!.hash, added)}')`);
    const appended = await runCli(['audit', 'verify', '--db', other]);
    expect(appended.code).toBe(3);
    expect(appended.stderr).toMatch(/entry 4: entry was added after the last one consort wrote/);
    // A log that goes on past its head takes no more entries: the change is refused, nothing written.
    const refused = await runCli(['member', 'add', '--name', 'Cy', '--email', 'cy@example.org', '--db', other]);
    expect(refused.code).toBe(8);
    expect(refused.stderr).toBe('consort: the audit log goes on past the last entry consort wrote (entry 4); nothing was changed (run consort audit verify, and restore the database from a backup)\n');
    expect(await rowsAt(other, "select id from person where email = 'cy@example.org'")).toEqual([]);

    await execAt(other, 'delete from audit_head');
    const headless = await runCli(['audit', 'verify', '--format', 'json', '--db', other]);
    expect(headless.stderr).toMatch(/audit_head\) is missing/);
    expect(JSON.parse(headless.stdout)).toMatchObject({ ok: false, first_bad: { seq: expect.any(Number), reason: expect.stringMatching(/audit_head\) is missing/) } });
    const noHead = await runCli(['member', 'add', '--name', 'Cy', '--email', 'cy@example.org', '--db', other]);
    expect(noHead.code).toBe(8);
    expect(noHead.stderr).toBe("consort: the audit log's record of its last entry (audit_head) is missing; nothing was changed (run consort audit verify, and restore the database from a backup)\n");
  });

  test('P4 (0012): each entry records how its hash was worked out; verify checks each by its own, and names one it does not know', async () => {
    const { path } = await initialised();
    expect(await rowsAt(path, 'select distinct hash_version from audit_entry')).toEqual([{ hash_version: 1 }]);
    // A database from before 0012 migrates: its entries are version 1 and still verify.
    await execAt(path, BEFORE_0012);
    expect((await runCli(['db', 'migrate', '--db', path])).code).toBe(0);
    expect((await runCli(['audit', 'verify', '--db', path])).code).toBe(0);
    await tamper(path, 'update audit_entry set hash_version = 7 where seq = 2');
    const r = await runCli(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/audit chain broken at entry 2: entry is hashed by version 7, which this consort does not know/);
  });

  test('0008: a database with audit entries migrates, its head the last entry, and a cut is then seen', async () => {
    const { path } = await initialised();
    await execAt(path, `${BEFORE_0009} drop table audit_head; delete from kysely_migration where name = '0008-audit-head'`);
    expect((await runCli(['member', 'list', '--db', path])).code).toBe(8);
    expect((await runCli(['db', 'migrate', '--db', path])).code).toBe(0);
    // The migration found the head at entry 3; db migrate's own entry (4) then moved it.
    expect(await rowsAt(path, 'select seq, hash from audit_head')).toEqual(await rowsAt(path, 'select seq, hash from audit_entry where seq = 4'));
    expect((await runCli(['audit', 'verify', '--db', path])).code).toBe(0);
    await tamper(path, 'delete from audit_entry where seq = 4');
    expect((await runCli(['audit', 'verify', '--db', path])).code).toBe(3);
  });

  test('P4: audit verify exits 3 when two rows are reordered', async () => {
    const { path } = await initialised();
    await tamper(path, 'update audit_entry set seq = -1 where seq = 2; update audit_entry set seq = 2 where seq = 3; update audit_entry set seq = 3 where seq = -1');
    const r = await runCli(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/audit chain broken at entry 2/);
  });

  test('the consent ledger and the audit log refuse updates and deletes', async () => {
    const { path } = await initialised();
    expect(await rejection(execAt(path, "update consent_event set action = 'withdraw'"))).toMatch(/append-only/);
    expect(await rejection(execAt(path, 'delete from audit_entry'))).toMatch(/append-only/);
    // PostgreSQL's TRUNCATE skips row triggers: a statement trigger refuses it too.
    if (onPostgres) for (const table of ['consent_event', 'audit_entry']) expect(await rejection(execAt(path, `truncate ${table} cascade`))).toMatch(/append-only/);
  });

  test('every change is audited with actor and command', async () => {
    const { path } = await initialised();
    const r = await runCli(['audit', 'list', '--format', 'json', '--db', path]);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((e: { command: string }) => e.command)).toEqual(['init', 'member add', 'member add']);
    expect(rows.every((e: { actor: string }) => e.actor === 'tester')).toBe(true);
    const only = await runCli(['audit', 'list', '--actor', 'nobody', '--format', 'json', '--db', path]);
    expect(JSON.parse(only.stdout)).toEqual([]);
  });

  test('db stats and config', async () => {
    const { path } = await initialised();
    const stats = JSON.parse((await runCli(['db', 'stats', '--format', 'json', '--db', path])).stdout);
    expect(stats).toMatchObject({ schema: '0012-audit-hash-version', tables: { person: 2 }, people: { member: 1, contact: 1 } });
    expect((await runCli(['config', 'get', 'notice-days', '--db', path])).stdout).toBe('14\n');
    expect((await runCli(['config', 'set', 'notice-days', '21', '--db', path])).code).toBe(0);
    expect((await runCli(['config', 'get', 'notice-days', '--db', path])).stdout).toBe('21\n');
    const bad = await runCli(['config', 'set', 'notice-days', 'soon', '--db', path]);
    expect(bad.code).toBe(2);
    expect((await runCli(['config', 'get', 'nonsense', '--db', path])).code).toBe(5);
    const list = JSON.parse((await runCli(['config', 'list', '--format', 'json', '--db', path])).stdout);
    expect(list.find((s: { key: string }) => s.key === 'notice-days')).toMatchObject({ value: '21', default: false });
  });
});

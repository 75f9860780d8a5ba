import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase } from '../helpers/db.js';

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
    await run(['notice', 'record', '--all-pending']);
    await run(['consent', 'withdraw', 'bo@example.org', 'announcement']);
    const published = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--format', 'text']);
    expect(published.code).toBe(0);
    expect(published.stdout).toBe('organisation\tEngines Ltd\nmember\tAda Lovelace (Engines Ltd)\n');
    expect(published.stderr).toMatch(/1 left out \(consent withdrawn\)/);
    const after = JSON.parse((await run(['disclosures', 'list', '--kind', 'announcement', '--format', 'json'])).stdout);
    expect(after.map((d: { state: string }) => d.state).sort()).toEqual(['cancelled', 'cancelled', 'released', 'released']);
    expect((await run(['announce', 'export', '--through', '2026-03-31', '--format', 'json'])).stdout).toMatch(/"organisations": \[\]/);
  });

  test('--publish --force needs a reason, and the override is audited', async () => {
    const { run } = await setup();
    expect((await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--force'])).code).toBe(2);
    const forced = await run(['announce', 'export', '--through', '2026-03-31', '--publish', '--yes', '--force', '--reason', 'board decision']);
    expect(forced.code).toBe(0);
    expect((await run(['audit', 'list', '--format', 'json'])).stdout).toMatch(/P9 override for announcement through 2026-03-31.*reason: board decision/);
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
    const rec = await run(['notice', 'record', '--all-pending', '--channel', 'letter']);
    expect(rec.code).toBe(0);
    const ok = await run(['disclosures', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('code\tdue\tkind\tsubject\tdocument\tdisclosure\tmessage\n');
    expect((await run(['disclosures', 'check', '--within', 'soon'])).code).toBe(2);
  });

  test('an announcement told late waits until notice-days after the notice; a document release does not move and is too late', async () => {
    const { run } = await setup();
    const later = { CONSORT_NOW: '2026-03-10T09:00:00Z' };
    await run(['notice', 'record', '--all-pending'], later);
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

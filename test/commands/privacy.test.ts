import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { tellPending } from '../helpers/notices.js';
import { tempDir, newDatabase } from '../helpers/db.js';

/** A database where Ada touches every table: organisation, consents, activity, documents, disclosures, notices, exports. */
async function everyTable() {
  const dir = tempDir();
  const db = await newDatabase(dir);
  const run = (...argv: string[]) => runCli([...argv, '--db', db]);
  await run('init');
  await run('member', 'add', '--name', 'Ada Lovelace', '--email', 'ada@example.org', '--org', 'Engines Ltd', '--status', 'member');
  await run('org', 'update', 'Engines Ltd', '--member', '--contact', 'ada@example.org');
  await run('document', 'add', 'spec', '--title', 'The Spec', '--release-on', '2026-04-01');
  for (const d of ['2026-02-01', '2026-02-02', '2026-01-15']) await run('activity', 'log', 'ada@example.org', 'edit', '--document', 'spec', '--at', d);
  await run('consent', 'grant', 'ada@example.org', 'credit', '--evidence', 'form 7');
  await run('newsletter', 'export');
  await tellPending((argv) => runCli([...argv, '--db', db]));
  await run('document', 'release', 'spec', '--yes');
  await run('disclose', 'ada@example.org', '--to', 'Court', '--legal-basis', 'order 1');
  return { dir, db, run };
}

describe('member report', () => {
  test('contains every item held about the person, and is audited', async () => {
    const { run } = await everyTable();
    const r = await run('member', 'report', 'ADA@example.org', '--format', 'json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.person).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.org', status: 'member' });
    expect(rep.organisation).toMatchObject({ name: 'Engines Ltd', membership: 'member', contact_person: true });
    expect(rep.consents.history.map((e: { purpose: string; action: string }) => `${e.action} ${e.purpose}`)).toEqual(['grant newsletter', 'grant directory', 'grant credit']);
    expect(rep.activity).toEqual({ summary: true, events: [{ month: '2026-01', document: 'spec', events: 1 }, { month: '2026-02', document: 'spec', events: 2 }] });
    expect(rep.disclosures.map((d: { kind: string; state: string }) => `${d.kind} ${d.state}`).sort()).toEqual(['announcement planned', 'credit released', 'directory released', 'legal released']);
    expect(rep.disclosures.find((d: { kind: string }) => d.kind === 'legal')).toMatchObject({ recipient: 'Court', basis: 'order 1' });
    expect(rep.notices.map((n: { role: string }) => n.role).sort()).toEqual(['organisation-contact', 'subject', 'subject', 'subject']);
    expect(rep.exports.disclosures.map((d: { kind: string }) => d.kind).sort()).toEqual(['credit', 'directory', 'legal']);
    expect(rep.exports.newsletter.subscribed).toEqual([{ from: '2026-03-01T10:00:00.000Z', to: null }]);
    expect(rep.exports.newsletter.exports).toHaveLength(1);
    const full = JSON.parse((await run('member', 'report', 'ada@example.org', '--full', '--format', 'json')).stdout);
    expect(full.activity.events.map((a: { at: string }) => a.at)).toEqual(['2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z']);
    expect((await run('audit', 'list', '--format', 'json')).stdout).toMatch(/report of everything held about person #1/);
    expect((await run('member', 'report', 'ada@example.org', '--format', 'text')).stdout).toMatch(/== Disclosures ==\n#\d+ /);
  });
});

describe('member erase', () => {
  test('the erased person appears in nothing but the pseudonymous evidence', async () => {
    const { run } = await everyTable();
    expect((await run('member', 'erase', 'ada@example.org')).code).toBe(2);
    expect((await run('member', 'erase', 'ada@example.org', '--reason', 'request')).code).toBe(2); // needs --yes off a terminal
    const r = await run('member', 'erase', 'ada@example.org', '--reason', 'request of 2026-03-01', '--yes', '--format', 'json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.pseudonym).toMatch(/^erased-1-[0-9a-f]{8}@erased\.invalid$/);
    expect(res.cannot_recall).toEqual(['credit', 'legal']);
    expect(r.stderr).toMatch(/cannot be recalled/);
    const outputs: string[] = [];
    for (const argv of [['member', 'list', '--format', 'json'], ['org', 'list', '--format', 'json'], ['newsletter', 'export', '--format', 'json'], ['directory', 'export'], ['announce', 'export', '--through', '2026-12-31'],
      ['credits', 'export', 'spec', '--format', 'json'], ['activity', 'list', '--format', 'json'], ['disclosures', 'list', '--format', 'json'], ['notice', 'pending', '--format', 'json'], ['audit', 'list', '--format', 'json'], ['document', 'participants', 'spec', '--format', 'json']]) {
      const o = await run(...argv);
      expect([0, 3]).toContain(o.code);
      outputs.push(o.stdout);
    }
    const all = outputs.join('\n');
    expect(all).not.toMatch(/ada@example\.org|Lovelace/i);
    expect(all).toContain(res.pseudonym);
    expect(JSON.parse((await run('activity', 'list', '--format', 'json')).stdout)).toEqual([]);
    expect((await run('audit', 'list', '--format', 'json')).stdout).toMatch(/"command":"erasure","summary":"erasure of person #1.*reason: request of 2026-03-01/);
    expect((await run('audit', 'verify')).code).toBe(0);
    const twice = await run('member', 'erase', res.pseudonym, '--reason', 'again', '--yes');
    expect(twice.code).toBe(6);
    expect(twice.stderr).toMatch(/already erased/);
    expect((await run('consent', 'receipt', res.pseudonym)).code).toBe(5);
    expect((await run('credits', 'export', 'spec')).stderr).toMatch(/1 person credited in edition 1 was erased since and is left out/);
  });

  test('adding or importing an erased address again is flagged (exit 6) unless --allow-erased', async () => {
    const { dir, run } = await everyTable();
    await run('member', 'erase', 'ada@example.org', '--reason', 'request', '--yes');
    const again = await run('member', 'add', '--name', 'Ada', '--email', 'Ada@Example.org');
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/erased.*--allow-erased/);
    const file = join(dir, 'back.csv');
    writeFileSync(file, 'name,email\nAda,ada@example.org\n');
    const refused = await run('member', 'import', file);
    expect(refused.code).toBe(6);
    // The row's problem, then the import's, each with what to do in the command line's words.
    expect(refused.stderr).toContain(`consort: ${file}:2: email: belonged to a person who was erased (pass --allow-erased if they came back)\n`);
    expect(refused.stderr).toContain(`consort: 1 row of ${file} could not be imported; nothing was written (fix them, or pass --skip-invalid to import the rest)\n`);
    expect((await run('member', 'import', file, '--allow-erased')).code).toBe(0);
    expect((await run('member', 'show', 'ada@example.org')).code).toBe(0);
  });

  test('erasure rule: member update --email to an erased address is refused (exit 6) as member add is, nothing changed, unless --allow-erased', async () => {
    const db = await newDatabase();
    const run = (...argv: string[]) => runCli([...argv, '--db', db]);
    await run('init');
    await run('member', 'add', '--name', 'Gone', '--email', 'gone@example.org');
    await run('member', 'add', '--name', 'Other', '--email', 'other@example.org');
    await run('member', 'erase', 'gone@example.org', '--reason', 'request', '--yes');
    const audit = async () => JSON.parse((await run('audit', 'list', '--format', 'json')).stdout).length;
    const before = { person: (await run('member', 'show', 'other@example.org', '--format', 'json')).stdout, orgs: (await run('org', 'list', '--format', 'json')).stdout, audit: await audit() };

    // In another case, with other changes alongside: refused as a whole.
    const refused = await run('member', 'update', 'other@example.org', '--email', 'GONE@example.org', '--name', 'Changed', '--org', 'New Org', '--status', 'member');
    expect(refused.code).toBe(6);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('consort: this address belonged to a person who was erased (if they came back of their own accord, pass --allow-erased)\n');
    expect((await run('member', 'show', 'other@example.org', '--format', 'json')).stdout).toBe(before.person);
    expect((await run('org', 'list', '--format', 'json')).stdout).toBe(before.orgs);
    expect(JSON.parse((await run('disclosures', 'list', '--format', 'json')).stdout)).toEqual([]);
    expect(await audit()).toBe(before.audit);
    expect((await run('member', 'show', 'gone@example.org')).code).toBe(5);

    const allowed = await run('member', 'update', 'other@example.org', '--email', 'GONE@example.org', '--allow-erased', '--format', 'json');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ name: 'Other', email: 'GONE@example.org' });
    // Their own address in another case is no return of anyone: not refused.
    expect((await run('member', 'update', 'gone@example.org', '--email', 'Gone@Example.org')).code).toBe(0);
    expect((await run('audit', 'verify')).code).toBe(0);
  });
});

import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/db.js';

describe('demo', () => {
  test('builds a generated database and shows a tour; --force replaces only a demo database', async () => {
    const dir = tempDir();
    const path = join(dir, 'demo.db');
    const r = await runCli(['demo', '--db', path, '--people', '60']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## Five people');
    expect(r.stdout).toContain('"ok": true');
    const stats = JSON.parse((await runCli(['db', 'stats', '--format', 'json', '--db', path])).stdout);
    expect(stats.tables.person).toBe(62); // 60 generated, and 2 newcomers nobody has told yet
    expect(stats.people.member).toBeGreaterThan(0);
    expect(stats.people.contact).toBeGreaterThan(0);
    const consents = JSON.parse((await runCli(['audit', 'list', '--format', 'json', '--db', path])).stdout);
    expect(consents.some((e: { summary: string }) => /consent withdraw newsletter/.test(e.summary))).toBe(true);
    const emails = (await runCli(['member', 'list', '--format', 'json', '--db', path])).stdout;
    expect(JSON.parse(emails).every((p: { email: string }) => /@[a-z.]*example\.(org|com|net|edu)$/.test(p.email))).toBe(true);

    const participants = JSON.parse((await runCli(['document', 'participants', 'qti-3', '--format', 'json', '--db', path])).stdout);
    const states = new Set(participants.map((p: { how: string; consent: string; credited: boolean }) => (p.credited ? 'credited' : p.how === 'activity' ? p.consent : p.how)));
    for (const s of ['credited', 'none', 'per-document withdrawn', 'removed by hand', 'below threshold']) expect(states).toContain(s);
    const docs = JSON.parse((await runCli(['document', 'list', '--format', 'json', '--db', path])).stdout);
    expect(docs.map((d: { slug: string; status: string }) => `${d.slug} ${d.status}`)).toEqual(['a11y-2.1 scheduled', 'caliper-2 draft', 'lti-1.3 released', 'qti-3 scheduled']);

    const check = await runCli(['disclosures', 'check', '--format', 'json', '--db', path]);
    expect(check.code).toBe(3);
    const codes = new Set(JSON.parse(check.stdout).map((p: { code: string }) => p.code));
    expect([...codes].sort()).toEqual(['consent-withdrawn-after-notice', 'notice-too-late', 'org-contact-not-informed', 'org-has-no-contact', 'participant-without-consent', 'subject-not-informed']);
    expect(r.stdout).toContain('## Who must be told before something is released (P9)');

    expect((await runCli(['demo', '--db', path])).code).toBe(6);
    expect((await runCli(['demo', '--db', path, '--force', '--people', '10'])).code).toBe(0);

    const real = join(dir, 'real.db');
    await runCli(['init', '--db', real]);
    const refused = await runCli(['demo', '--db', real, '--force']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/is not a demo database/);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase } from '../helpers/db.js';

test('policy versions: consent events record the version in force; stale lists consents given under an older one', async () => {
  const dir = tempDir();
  const db = await newDatabase(dir);
  const run = (argv: string[], now = '2026-03-01T10:00:00Z') => runCli([...argv, '--db', db], { env: { CONSORT_NOW: now } });
  await run(['init']);
  const v1 = join(dir, 'v1.md');
  const v2 = join(dir, 'v2.md');
  writeFileSync(v1, '# Privacy statement\n\nVersion one.\n');
  writeFileSync(v2, '# Privacy statement\n\nVersion two.\n');
  expect((await run(['policy', 'stale'])).stderr).toMatch(/no privacy statement recorded yet/);
  const set1 = await run(['policy', 'set', v1]);
  expect(set1.code).toBe(0);
  const version1 = set1.stdout.trim();
  expect(version1).toMatch(/^2026-03-01-[0-9a-f]{8}$/);
  expect((await run(['policy', 'set', v1])).code).toBe(6);
  await run(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member']);
  const history = JSON.parse((await run(['consent', 'show', 'ada@example.org', '--format', 'json'])).stdout).history;
  expect(history.map((e: { policy_version: string }) => e.policy_version)).toEqual([version1, version1]);
  expect(JSON.parse((await run(['policy', 'stale', '--format', 'json'])).stdout)).toEqual([]);

  const version2 = (await run(['policy', 'set', v2], '2026-04-01T10:00:00Z')).stdout.trim();
  const stale = JSON.parse((await run(['policy', 'stale', '--format', 'json'], '2026-04-01T10:00:00Z')).stdout);
  expect(stale.map((s: { email: string; purpose: string; version: string }) => [s.email, s.purpose, s.version])).toEqual([
    ['ada@example.org', 'directory', version1],
    ['ada@example.org', 'newsletter', version1],
  ]);
  await run(['consent', 'grant', 'ada@example.org', 'newsletter', '--evidence', 'asked again'], '2026-04-02T10:00:00Z');
  const after = JSON.parse((await run(['policy', 'stale', '--format', 'json'], '2026-04-02T10:00:00Z')).stdout);
  expect(after.map((s: { purpose: string }) => s.purpose)).toEqual(['directory']);
  expect(JSON.parse((await run(['consent', 'show', 'ada@example.org', '--format', 'json'])).stdout).history.at(-1).policy_version).toBe(version2);
  expect((await run(['policy', 'set', join(dir, 'missing.md')])).code).toBe(4);
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/db.js';

/**
 * The crontab lines of `consort help cron` (docs/topics/cron.md), run as cron runs them (sh -c,
 * the line's command after its five time fields), with a stand-in consort that exits with a
 * chosen code: on 0 they print nothing (no mail); on 3 and on 8 they print the exit code and what
 * consort wrote, which cron mails.
 */
const source = readFileSync(new URL('../../docs/topics/cron.md', import.meta.url), 'utf8');
const blocks = [...source.matchAll(/```crontab\n([\s\S]*?)```/g)].map((m) => m[1]!);
const jobs = blocks.flatMap((b) => b.split('\n')).filter((l) => /^[0-9*@]/.test(l)).map((l) => l.replace(/^(\S+\s+){5}/, ''));

test('the guide has crontab lines for the check, the newsletter, the backup, db check and notice send', () => {
  expect(jobs.length).toBeGreaterThanOrEqual(5);
  for (const command of ['disclosures check', 'newsletter export', 'db backup', 'db check', 'notice send']) expect(jobs.some((j) => j.startsWith(`consort ${command}`))).toBe(true);
  for (const job of jobs) expect(job).not.toMatch(/(^|[^\\])%/);
});

test.each(jobs.map((j) => [j.split(' ').slice(0, 3).join(' '), j]))('%s: silent on 0, loud on 3 and on 8', (_name, job) => {
  const dir = tempDir();
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'var'));
  writeFileSync(join(dir, 'bin', 'consort'), '#!/bin/sh\n[ "$FAKE_EXIT" = 0 ] || echo "consort: what went wrong (what to do)" >&2\nexit "$FAKE_EXIT"\n', { mode: 0o755 });
  // Cron turns an unescaped % into a line break and \% into %; sh reads \% as % too.
  const line = job.replaceAll('/var/lib/consort', join(dir, 'var'));
  for (const code of [0, 3, 8]) {
    const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, FAKE_EXIT: String(code) } });
    const said = r.stdout + r.stderr;
    if (code === 0) expect({ code, said }).toEqual({ code, said: '' });
    else {
      expect(said).toContain(`exit ${code}`);
      expect(said).toContain('consort: what went wrong (what to do)');
    }
  }
});

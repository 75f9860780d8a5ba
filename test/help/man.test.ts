import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The man pages are build output (node build.mjs, run by npm test before the suite). */
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const pages: string[] = pkg.man;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
/** A test that needs a tool this machine lacks reports itself skipped rather than passing empty. */
const withTool = (tool: string) => (has(tool) ? test : test.skip);

test('every page package.json lists was built from docs/ (run node build.mjs)', () => {
  expect(pages.length).toBeGreaterThan(20);
  for (const page of pages) expect({ page, built: existsSync(`${root}/${page}`) }).toEqual({ page, built: true });
  expect(readFileSync(`${root}/man/consort-member.1`, 'utf8')).toMatch(/^\.TH "CONSORT\\-MEMBER" "1"/);
});

withTool('groff')('groff -man -Tutf8 -ww prints no warning for any page', () => {
  for (const page of pages) {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', `${root}/${page}`], { encoding: 'utf8' });
    expect({ page, status: r.status, warnings: r.stderr }).toEqual({ page, status: 0, warnings: '' });
  }
});

withTool('man')('man -l renders consort.1 and a group page with their sections and options', () => {
  const env = { ...process.env, MANWIDTH: '100', MANPAGER: 'cat', PAGER: 'cat' };
  const top = spawnSync('man', ['-l', `${root}/man/consort.1`], { encoding: 'utf8', env });
  expect(top.status).toBe(0);
  for (const section of ['NAME', 'SYNOPSIS', 'GLOBAL OPTIONS', 'EXIT STATUS', 'SEE ALSO']) expect(top.stdout).toContain(section);
  const member = spawnSync('man', ['-l', `${root}/man/consort-member.1`], { encoding: 'utf8', env });
  expect(member.status).toBe(0);
  expect(member.stdout).toMatch(/consort member import/);
  expect(member.stdout).toContain('--on-duplicate <mode>');
  // Text from outside ASCII survives as the character, not as an escape or a question mark.
  expect(member.stdout).toContain('…');
  expect(member.stdout).not.toMatch(/&quot;|\\\[u/);
});

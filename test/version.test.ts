import { readFileSync } from 'node:fs';
import { VERSION } from '../src/version.js';
import { runCli } from './helpers/cli.js';

test('--version prints the version of package.json', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(VERSION).toBe(pkg.version);
  const r = await runCli(['--version']);
  expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
});

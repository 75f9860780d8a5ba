// The whole suite, twice (SPEC section 6): on SQLite, then on PostgreSQL in a throwaway
// cluster that .ci/postgres makes (installing PostgreSQL from Debian's packages if it is
// missing) and removes afterwards. With CONSORT_TEST_PG=postgres://… it uses that server
// instead. Ends with one line adding up both runs: "N passed, N failed".
// Extra arguments go to Jest (e.g. a test file), in both runs.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const env = { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' };
// A permissive umask, whatever the caller's: a file the tests find 0600 is 0600 because consort
// made it so (P4), not because a strict umask (077) did.
process.umask(0o022);
const scratch = mkdtempSync(join(tmpdir(), 'consort-suite-'));
// The cluster may run as the postgres user (never as root), which must reach its directory.
chmodSync(scratch, 0o711);

function lane(name, extraEnv) {
  const summary = join(scratch, `${name}.json`);
  console.log(`\n=== ${name} ===`);
  // A file named that runs on one engine only (one needing no database, say) is no failure on the
  // other; the whole suite finding no tests still is.
  const files = process.argv.slice(2);
  const r = spawnSync(process.execPath, [jest, ...(files.length ? ['--passWithNoTests'] : []), ...files], { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv, CONSORT_TEST_SUMMARY: summary } });
  try {
    return JSON.parse(readFileSync(summary, 'utf8'));
  } catch {
    return { passed: 0, failed: 1, skipped: 0, crashed: r.status };
  }
}

const results = [lane('SQLite', {})];

let cluster;
let url = process.env.CONSORT_TEST_PG;
if (!url) {
  cluster = join(scratch, 'pg');
  // A port another cluster holds makes the start fail: three ports are tried before giving up.
  for (let attempt = 0; attempt < 3 && !url; attempt++) {
    const port = String(54000 + ((process.pid + attempt * 301) % 900));
    const r = spawnSync(join(root, '.ci', 'postgres'), ['start', cluster, port], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status === 0) url = r.stdout.trim();
    else {
      console.error(`test: PostgreSQL did not start on port ${port} (see above)${attempt < 2 ? '; trying another port' : ''}`);
      spawnSync(join(root, '.ci', 'postgres'), ['stop', cluster], { stdio: 'inherit' });
    }
  }
  if (!url) {
    console.error('test: could not start PostgreSQL for the second run');
    results.push({ passed: 0, failed: 1, skipped: 0 });
  }
}
try {
  if (url) results.push(lane('PostgreSQL', { CONSORT_TEST_PG: url }));
} finally {
  if (cluster) spawnSync(join(root, '.ci', 'postgres'), ['stop', cluster], { stdio: 'inherit' });
  rmSync(scratch, { recursive: true, force: true });
}

const total = results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''} (SQLite and PostgreSQL)`);
process.exitCode = total.failed ? 1 : 0;

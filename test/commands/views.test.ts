/** People named by #ID, and --since/--until with relative times (SPEC 4, "Terminal views"). */
import { runCli } from '../helpers/cli.js';
import { newDatabase } from '../helpers/db.js';

async function db() {
  const path = await newDatabase();
  await runCli(['init', '--db', path]);
  await runCli(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', path]);
  await runCli(['member', 'add', '--name', 'Bob', '--email', 'bob@example.org', '--db', path]);
  return path;
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout);

describe('a person named by #ID, as audit entries show them', () => {
  test('wherever a person is an argument', async () => {
    const path = await db();
    const audit = json(await runCli(['audit', 'list', '--format', 'json', '--db', path])) as Array<{ summary: string }>;
    const id = /person #(\d+)/.exec(audit[audit.length - 1]!.summary)![1];
    expect(id).toBe('2');
    expect(json(await runCli(['member', 'show', '#2', '--db', path]))).toMatchObject({ email: 'bob@example.org' });
    expect((await runCli(['member', 'update', '#2', '--name', 'Robert', '--db', path])).code).toBe(0);
    expect((await runCli(['consent', 'grant', '#2', 'newsletter', '--db', path])).code).toBe(0);
    expect(json(await runCli(['consent', 'show', '#2', '--format', 'json', '--db', path])).current).toMatchObject([{ purpose: 'newsletter', state: 'grant' }]);
    expect((await runCli(['activity', 'log', '#1', 'login', '--at', '2026-02-01T00:00:00Z', '--db', path])).code).toBe(0);
    expect(json(await runCli(['activity', 'list', '--member', '#1', '--format', 'json', '--db', path]))).toMatchObject([{ email: 'ada@example.org', action: 'login' }]);
    expect(json(await runCli(['member', 'show', 'bob@example.org', '--db', path]))).toMatchObject({ name: 'Robert' });
  });

  test('an unknown #ID is not found (exit 5), naming it', async () => {
    const path = await db();
    const r = await runCli(['member', 'show', '#99', '--db', path]);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('consort: no person #99 (see consort member list, or the ids in consort audit list)\n');
    expect((await runCli(['consent', 'show', '#99', '--db', path])).code).toBe(5);
  });
});

describe('--since and --until', () => {
  test('relative times against the command clock', async () => {
    const path = await db();
    for (const at of ['2026-02-27T09:00:00Z', '2026-02-28T12:00:00Z', '2026-03-01T09:00:00Z']) await runCli(['activity', 'log', 'ada@example.org', 'edit', '--at', at, '--db', path]);
    const ats = async (...args: string[]) => (json(await runCli(['activity', 'list', ...args, '--format', 'json', '--db', path], { env: { TZ: 'UTC' } })) as Array<{ at: string }>).map((e) => e.at.slice(0, 10));
    // CONSORT_NOW is 2026-03-01T10:00:00Z.
    expect(await ats('--since', 'yesterday')).toEqual(['2026-02-28', '2026-03-01']);
    expect(await ats('--since', 'today')).toEqual(['2026-03-01']);
    expect(await ats('--since', '3d', '--until', 'today')).toEqual(['2026-02-27', '2026-02-28']);
    expect(await ats('--since', '3 hours ago')).toEqual(['2026-03-01']);
    expect(await ats('--since', '2 weeks ago')).toHaveLength(3);
    const audit = json(await runCli(['audit', 'list', '--since', '1 hour ago', '--format', 'json', '--db', path])) as unknown[];
    expect(audit.length).toBeGreaterThan(0);
    expect(json(await runCli(['audit', 'list', '--until', 'yesterday', '--format', 'json', '--db', path]))).toEqual([]);
  });

  test('a bad value is a usage error naming the flag, with examples', async () => {
    const path = await db();
    for (const argv of [['activity', 'list', '--since', 'last tuesday'], ['audit', 'list', '--until', 'soon']]) {
      const r = await runCli([...argv, '--db', path]);
      expect(r.code).toBe(2);
      const flag = argv[2]!;
      expect(r.stderr).toBe(`consort: ${flag} is not a time: '${argv[3]}' (e.g. ${flag} 2026-01-31, ${flag} 2026-01-31T09:00Z, ${flag} yesterday, ${flag} 7d, ${flag} '2 weeks ago')\n`);
    }
  });

  test('audit list --limit takes the newest N, in the chain order when piped', async () => {
    const path = await db();
    const seqs = async (...args: string[]) => (json(await runCli(['audit', 'list', ...args, '--format', 'json', '--db', path])) as Array<{ seq: number }>).map((e) => e.seq);
    expect(await seqs()).toEqual([1, 2, 3]);
    expect(await seqs('--limit', '2')).toEqual([2, 3]);
    expect(await seqs('--limit', '2', '--reverse')).toEqual([3, 2]);
  });
});

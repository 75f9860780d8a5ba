/**
 * End-to-end in a real pseudo-terminal (util-linux `script`), on the demo database: tables fit
 * the terminal by display width with every email whole, times are local (TZ), long output goes
 * through the pager and nothing does with --no-pager or when piped (SPEC 4, "Terminal views").
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { BIN, consort } from '../helpers/e2e.js';
import { tempDir } from '../helpers/db.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
/** Reports itself skipped where there is no `script` to give it a terminal. */
const ptyTest = hasScript ? test : test.skip;

const BUILT = '2026-03-01T10:00:00Z';
let dir = '';
let db = '';

beforeAll(async () => {
  dir = tempDir();
  db = join(dir, 'c.db');
  const r = await consort(['demo', '--db', db, '--force'], { env: { CONSORT_NOW: BUILT } });
  expect(r.code).toBe(0);
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs consort on a terminal of `cols` columns; returns what the terminal showed, without CRs or escapes. */
function onTerminal(args: string[], opts: { cols?: number; env?: Record<string, string> } = {}): { screen: string; raw: string; code: number } {
  const env = { PATH: process.env.PATH ?? '', HOME: dir, CONSORT_DB: db, CONSORT_NOW: '2026-03-03T10:00:00Z', TZ: 'Europe/Berlin', CONSORT_ACTOR: 'e2e', ...opts.env };
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
  const command = `stty cols ${opts.cols ?? 80} rows 40; env -i ${assignments} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo "[exit $?]"`;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 30000 });
  const raw = r.stdout.replace(/\r/g, '');
  const screen = raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const code = Number(/\[exit (\d+)\]\n?$/.exec(screen)?.[1] ?? -1);
  return { screen: screen.replace(/\[exit \d+\]\n?$/, ''), raw, code };
}

const widest = (screen: string) => Math.max(0, ...screen.split('\n').map((l) => stringWidth(l)));

/** The emails a list holds, as the piped TSV says (its first column). */
async function emails(args: string[], column = 0): Promise<string[]> {
  const r = await consort([...args, '--db', db, '--format', 'tsv'], { env: { CONSORT_NOW: '2026-03-03T10:00:00Z' } });
  return r.stdout.split('\n').slice(1).filter(Boolean).map((l) => l.split('\t')[column]!).filter((e) => e.includes('@'));
}

describe('tables on a terminal', () => {
  ptyTest.each([80, 120])('member list at %i columns: no line wider, every email whole, local times', async (cols) => {
    const { screen, code } = onTerminal(['--no-pager', 'member', 'list', '--limit', '30'], { cols });
    expect(code).toBe(0);
    expect(widest(screen)).toBeLessThanOrEqual(cols);
    const all = await emails(['member', 'list', '--limit', '30']);
    expect(all).toHaveLength(30);
    for (const e of all) expect(screen).toContain(e);
    // Built at 10:00 UTC two days before: 11:00 in Berlin, never the UTC ISO form.
    expect(screen).toContain('2026-03-01 11:00');
    expect(screen).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    // No borders: the header line is the column names, two spaces apart.
    expect(screen.split('\n')[0]).toMatch(cols === 80 ? /^email {2,}name {2,}status {2,}orga… {2,}created$/ : /^email {2,}name {2,}status {2,}organisation {2,}created$/);
  });

  ptyTest('a list whose fixed columns alone are wider than the terminal shows each row as a block: nothing cut', async () => {
    const { screen } = onTerminal(['--no-pager', 'org', 'list']);
    expect(widest(screen)).toBeLessThanOrEqual(80);
    expect(screen).toMatch(/^name {8}Adatum Publishing\nmembership {2}member\ndomain {6}adatum\.example\.com\n/);
    for (const e of await emails(['org', 'list'], 4)) expect(screen).toContain(e);
  });

  ptyTest('the whole demo member list fits 80 columns, every email whole', async () => {
    const { screen } = onTerminal(['--no-pager', 'member', 'list']);
    expect(widest(screen)).toBeLessThanOrEqual(80);
    for (const e of await emails(['member', 'list'])) expect(screen).toContain(e);
  });

  ptyTest('recent times are relative to the command clock (CONSORT_NOW)', () => {
    const { screen } = onTerminal(['--no-pager', 'member', 'list', '--limit', '3'], { env: { CONSORT_NOW: '2026-03-01T12:00:00Z' } });
    expect(screen).toContain('2 hours ago');
  });

  ptyTest('--wide shows every value whole, however wide', async () => {
    const narrow = onTerminal(['--no-pager', 'member', 'list', '--limit', '20']);
    expect(narrow.screen).toContain('…');
    const wide = onTerminal(['--no-pager', '--wide', 'member', 'list', '--limit', '20']);
    expect(wide.screen).not.toContain('…');
    const rows = (await consort(['member', 'list', '--limit', '20', '--db', db])).stdout.split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
    for (const [email, name, , org] of rows) expect(wide.screen).toMatch(new RegExp(`${email}\\s+${name}\\s+\\w+\\s+${org}`));
  });

  const lists: Array<[string, string[], number]> = [
    ['org list', ['org', 'list'], 4],
    ['document list', ['document', 'list'], -1],
    ['document participants', ['document', 'participants', 'a11y-2.1'], 0],
    ['config list', ['config', 'list'], -1],
    ['notice pending', ['notice', 'pending'], 1],
    ['audit list', ['audit', 'list', '--limit', '40'], -1],
    ['disclosures list', ['disclosures', 'list'], 2],
    ['activity list', ['activity', 'list', '--limit', '40'], 1],
  ];
  ptyTest.each(lists)('%s at 80 columns: no line wider, every email whole, no UTC ISO time', async (_name, args, emailColumn) => {
    const { screen, code } = onTerminal(['--no-pager', ...args]);
    expect(code).toBe(0);
    expect(screen.trim()).not.toBe('');
    expect(widest(screen)).toBeLessThanOrEqual(80);
    if (emailColumn >= 0) {
      const all = await emails(args, emailColumn);
      expect(all.length).toBeGreaterThan(0);
      for (const e of all) expect(screen).toContain(e);
    }
    expect(screen).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  ptyTest('audit list shows the newest entries first; --reverse the oldest; --limit keeps the newest', async () => {
    const seqs = (screen: string) => screen.split('\n').slice(1).filter(Boolean).map((l) => Number(l.split(/\s+/)[0]));
    const newest = seqs(onTerminal(['--no-pager', 'audit', 'list', '--limit', '3']).screen);
    const all = JSON.parse((await consort(['audit', 'list', '--db', db, '--format', 'json'])).stdout) as Array<{ seq: number }>;
    const last = all[all.length - 1]!.seq;
    expect(newest).toEqual([last, last - 1, last - 2]);
    expect(seqs(onTerminal(['--no-pager', 'audit', 'list', '--limit', '3', '--reverse']).screen)).toEqual([last - 2, last - 1, last]);
  });

  ptyTest('an empty list says so on stderr; the terminal sees no table', () => {
    const { screen, code } = onTerminal(['member', 'list', '--org', 'contoso']);
    expect(code).toBe(0);
    expect(screen.trim()).toBe('no people match');
  });

  ptyTest('colour only for headers (and states) on a terminal; NO_COLOR turns it off', () => {
    const { raw } = onTerminal(['--no-pager', 'member', 'list', '--limit', '2']);
    expect(raw).toMatch(/\x1b\[1memail\x1b\[22m/);
    expect(onTerminal(['--no-pager', 'member', 'list', '--limit', '2'], { env: { NO_COLOR: '1' } }).raw).not.toMatch(/\x1b/);
  });
});

describe('the pager', () => {
  function pagerScript(): { pager: string; log: string } {
    const log = join(dir, `pager-${Math.random().toString(36).slice(2)}.log`);
    const pager = join(dir, 'pager.sh');
    writeFileSync(pager, `#!/bin/sh\necho "called LESS=$LESS" >> "$PAGER_LOG"\ncat\n`);
    chmodSync(pager, 0o755);
    return { pager, log };
  }

  ptyTest('a list on a terminal goes through PAGER, with LESS=FRX; CONSORT_PAGER wins over PAGER', () => {
    const { pager, log } = pagerScript();
    const r = onTerminal(['member', 'list'], { env: { PAGER: pager, PAGER_LOG: log } });
    expect(r.code).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('called LESS=FRX\n');
    expect(r.screen).toContain('ingrid.silva0@fabrikam.example.org');
    const other = pagerScript();
    onTerminal(['member', 'list'], { env: { PAGER: '/bin/false', CONSORT_PAGER: other.pager, PAGER_LOG: other.log } });
    expect(readFileSync(other.log, 'utf8')).toBe('called LESS=FRX\n');
  });

  ptyTest('not with --no-pager, PAGER=cat or an empty PAGER; never when stdout is piped', async () => {
    const { pager, log } = pagerScript();
    for (const args of [['--no-pager', 'member', 'list']]) onTerminal(args, { env: { PAGER: pager, PAGER_LOG: log } });
    onTerminal(['member', 'list'], { env: { CONSORT_PAGER: '', PAGER: pager, PAGER_LOG: log } });
    onTerminal(['member', 'list'], { env: { CONSORT_PAGER: 'cat', PAGER: pager, PAGER_LOG: log } });
    const piped = await consort(['member', 'list', '--db', db], { env: { PAGER: pager, PAGER_LOG: log } });
    expect(piped.stdout.split('\n')[0]).toBe('email\tname\tstatus\torganisation\tcreated');
    expect(existsSync(log)).toBe(false);
  });

  ptyTest('a pager that quits early (q) is no error: exit 0, nothing on stderr', () => {
    // head reads two lines and exits, as `q` in less does: the rest of a long JSON list has nowhere to go.
    const r = onTerminal(['activity', 'list', '--format', 'json'], { env: { PAGER: 'head -n 2' } });
    expect(r.code).toBe(0);
    expect(r.screen.split('\n').filter(Boolean)).toHaveLength(2);
    // A pager that reads nothing at all: every write meets a closed pipe.
    const none = onTerminal(['audit', 'list', '--format', 'json'], { env: { PAGER: 'true' } });
    expect(none.code).toBe(0);
    expect(none.screen).toBe('');
  });

  ptyTest('messages on stderr wait until the pager has exited', () => {
    const r = onTerminal(['document', 'participants', 'a11y-2.1'], { env: { PAGER: 'cat; echo PAGER-END' } });
    expect(r.code).toBe(0);
    expect(r.screen.indexOf('PAGER-END')).toBeGreaterThan(0);
    expect(r.screen.indexOf('active participants')).toBeGreaterThan(r.screen.indexOf('PAGER-END'));
  });
});

describe('interactive member add', () => {
  const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
  /** Reports itself skipped where there is no tmux to type into a terminal. */
  const tmuxTest = hasTmux ? test : test.skip;
  const socket = `consort-views-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  afterAll(() => {
    if (hasTmux) tmux('kill-server');
  });

  async function waitFor(text: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const screen = tmux('capture-pane', '-p').stdout;
      if (screen.includes(text)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the terminal never showed ${JSON.stringify(text)}:\n${tmux('capture-pane', '-p').stdout}`);
  }

  tmuxTest('asks status, organisation (a choice) and newsletter, shows a summary, writes only when confirmed', async () => {
    const path = join(tempDir(), 'i.db');
    const env = { CONSORT_NOW: '2026-03-01T10:00:00Z' };
    await consort(['init', '--db', path], { env });
    await consort(['org', 'add', 'Example University', '--db', path], { env });
    const run = (marker: string) =>
      tmux('new-session', '-d', '-x', '100', '-y', '40', `env CONSORT_NOW=${env.CONSORT_NOW} TZ=UTC ${quote(process.execPath)} ${quote(BIN)} member add --no-pager --db ${quote(path)}; echo "${marker} $?"; sleep 60`);
    run('DONE');
    await waitFor('Name');
    tmux('send-keys', 'Zoë Test', 'Enter');
    await waitFor('Email');
    tmux('send-keys', 'zoe@example.org', 'Enter');
    await waitFor('Status');
    tmux('send-keys', 'Enter');
    await waitFor('Organisation');
    tmux('send-keys', 'Down', 'Enter');
    await waitFor('Newsletter');
    tmux('send-keys', 'y', 'Enter');
    const summary = await waitFor('Add this person?');
    expect(summary).toMatch(/organisation {2}Example University/);
    expect(summary).toMatch(/newsletter {4}yes/);
    tmux('send-keys', 'Enter');
    expect(await waitFor('DONE')).toMatch(/DONE 0/);
    const added = JSON.parse((await consort(['member', 'show', 'zoe@example.org', '--db', path], { env })).stdout);
    expect(added).toMatchObject({ name: 'Zoë Test', status: 'contact', organisation: 'Example University', consents: [{ purpose: 'newsletter', state: 'grant' }] });
    tmux('kill-server');

    // Declined at the summary: nothing is written.
    run('AGAIN');
    await waitFor('Name');
    tmux('send-keys', 'Alan', 'Enter');
    await waitFor('Email');
    tmux('send-keys', 'alan@example.org', 'Enter');
    await waitFor('Status');
    tmux('send-keys', 'Down', 'Enter');
    await waitFor('Organisation');
    tmux('send-keys', 'Enter');
    await waitFor('Add this person?');
    tmux('send-keys', 'n', 'Enter');
    expect(await waitFor('AGAIN')).toMatch(/not added[\s\S]*AGAIN 0/);
    expect((await consort(['member', 'show', 'alan@example.org', '--db', path], { env })).code).toBe(5);
  });
});

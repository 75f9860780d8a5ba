import { readdirSync, readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';

const topics = ['rules', 'formats', 'exit-codes', 'cron', 'environment'];

describe('consort help COMMAND [SUBCOMMAND], as git help does', () => {
  test.each([[['member', 'import']], [['document', 'participant', 'add']], [['member']], [['init']], [['completion']]])(
    'help %j prints what --help prints for that command',
    async (path) => {
      const help = await runCli(['help', ...path]);
      const own = await runCli([...path, '--help']);
      expect(help.code).toBe(0);
      expect(help.stderr).toBe('');
      expect(help.stdout).toBe(own.stdout);
      expect(help.stdout).toMatch(new RegExp(`^Usage: consort ${path.join(' ')}\\b`));
    },
  );

  test("help member import is the import's help, not the member group's", async () => {
    const r = await runCli(['help', 'member', 'import']);
    expect(r.stdout).toContain('--on-duplicate');
    expect(r.stdout).not.toMatch(/^ {2}erase\b/m);
  });

  test('help alone prints consort --help, which names the topics', async () => {
    const help = await runCli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['--help'])).stdout);
    for (const t of topics) expect(help.stdout).toContain(t);
  });
});

describe('consort help TOPIC', () => {
  test.each(topics)('help %s prints docs/topics/%s.md under its title', async (topic) => {
    const r = await runCli(['help', topic]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^consort help ${topic}: \\S`));
    const source = readFileSync(new URL(`../../docs/topics/${topic}.md`, import.meta.url), 'utf8');
    expect(r.stdout).toContain(source.replace(/^# .*\n+/, '').trimEnd());
  });

  test('rules covers P1 to P10; exit-codes every code', async () => {
    const rules = (await runCli(['help', 'rules'])).stdout;
    for (let i = 1; i <= 10; i++) expect(rules).toMatch(new RegExp(`^\\| P${i} \\|`, 'm'));
    const codes = (await runCli(['help', 'exit-codes'])).stdout;
    for (let c = 0; c <= 8; c++) expect(codes).toMatch(new RegExp(`^\\| ${c} \\|`, 'm'));
  });

  test('environment names every variable of the issue, and every one the source reads', async () => {
    const env = (await runCli(['help', 'environment'])).stdout;
    const named = ['CONSORT_DB', 'CONSORT_NOW', 'CONSORT_ACTOR', 'CONSORT_BUSY_TIMEOUT_MS', 'XDG_DATA_HOME', 'NO_COLOR', 'FORCE_COLOR', 'PAGER', 'CONSORT_PAGER', 'COLUMNS', 'TZ'];
    const smtp = ['CONSORT_SMTP_URL', 'CONSORT_SMTP_PASSWORD', 'CONSORT_SMTP_PASSWORD_FILE'];
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const read = new Set(files.flatMap((f) => [...readFileSync(`src/${f}`, 'utf8').matchAll(/\b(CONSORT_[A-Z_]+|XDG_DATA_HOME|NO_COLOR|FORCE_COLOR)\b/g)].map((m) => m[1]!)));
    expect(read.size).toBeGreaterThan(4);
    for (const v of new Set([...named, ...smtp, ...read])) expect(env).toContain(`\`${v}\``);
  });
});

describe('an unknown name suggests the closest, exit 2', () => {
  test.each([
    [['memebr'], /no command or help topic 'memebr' \(did you mean member\?\)/],
    [['rulse'], /did you mean rules\?/],
    [['exit-code'], /did you mean exit-codes\?/],
    [['member', 'imprt'], /consort member has no command 'imprt' \(did you mean import\?\)/],
    [['document', 'participant', 'ad'], /did you mean add\?/],
  ])('help %j', async (args, message) => {
    const r = await runCli(['help', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^consort: [^\n]* \([^\n]+\)\n$/);
  });

  test('a name nothing resembles gets no guess, still exit 2', async () => {
    const r = await runCli(['help', 'zzzzzzzz']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/did you mean/);
  });

  test('a topic has no parts', async () => {
    expect((await runCli(['help', 'rules', 'P1'])).code).toBe(2);
  });
});

import type { Command, Option } from 'commander';
import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { buildProgram } from '../../src/program.js';

/**
 * The reference is docs/: one file per top-level command (docs/GROUP.md), and docs/consort.md.
 * Its parseable form: a heading that is exactly a command (`### consort member import`) opens
 * that command's section; the list items of the section that start with a code span of flags,
 * exactly as the command declares them (`` * `--on-duplicate <mode>`: … ``), are its options;
 * any other heading ends the section. The global options are the items under
 * `## GLOBAL OPTIONS` in docs/consort.md.
 */
const DOCS = new URL('../../docs/', import.meta.url);

function documented(): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  for (const file of readdirSync(DOCS).filter((f) => f.endsWith('.md'))) {
    let current: string[] | undefined;
    for (const line of readFileSync(new URL(file, DOCS), 'utf8').split('\n')) {
      const heading = /^#{1,6} (.*)$/.exec(line);
      if (heading) {
        const name = heading[1]!.trim();
        const command = name === 'GLOBAL OPTIONS' && file === 'consort.md' ? 'consort' : /^consort( [a-z_-]+)+$/.test(name) ? name : undefined;
        if (command && sections.has(command)) throw new Error(`${file}: a second section for ${command}`);
        current = command ? [] : undefined;
        if (command) sections.set(command, current!);
        continue;
      }
      const item = /^\* `(-[^`]*)`/.exec(line);
      if (item && current) current.push(item[1]!);
    }
  }
  return sections;
}

const sink = () => Object.assign(new PassThrough(), { isTTY: false });
const program = await buildProgram({ stdin: sink(), stdout: sink(), stderr: sink(), env: {} } as never, [], async () => 0);

/** Every command a person can run (groups such as `member` only hold subcommands), with its options' flags. */
function tree(): Map<string, string[]> {
  const commands = new Map<string, string[]>();
  const walk = (c: Command, name: string) => {
    const hidden = (c as unknown as { _hidden?: boolean })._hidden;
    if (hidden) return;
    const runnable = Boolean((c as unknown as { _actionHandler?: unknown })._actionHandler) || c === program;
    if (runnable) commands.set(name, (c.options as Option[]).filter((o) => !o.hidden).map((o) => o.flags));
    for (const s of c.commands) walk(s, `${name} ${s.name()}`);
  };
  walk(program, 'consort');
  return commands;
}

test('every command and option in the commander tree is in docs/, and docs/ has nothing the tree lacks', () => {
  const docs = documented();
  const commands = tree();
  expect(commands.size).toBeGreaterThan(50);
  expect([...docs.keys()].sort()).toEqual([...commands.keys()].sort());
  for (const [name, flags] of commands) {
    expect({ command: name, options: [...docs.get(name)!].sort() }).toEqual({ command: name, options: [...flags].sort() });
  }
});

test('every top-level command has its page, docs/GROUP.md, titled for its man page', () => {
  const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'consort.md' && /^[a-z]/.test(f));
  const visible = program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
  expect(pages.map((f) => f.slice(0, -3)).sort()).toEqual([...visible].sort());
  for (const name of visible) expect(readFileSync(new URL(`${name}.md`, DOCS), 'utf8')).toMatch(new RegExp(`^# consort-${name}\\(1\\) -- \\S`));
  expect(readFileSync(new URL('consort.md', DOCS), 'utf8')).toMatch(/^# consort\(1\) -- \S/);
});

test('package.json "man" lists a page for every docs file and topic, so npm install -g installs them', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const expected = [
    ...readdirSync(DOCS).filter((f) => f.endsWith('.md') && /^[a-z]/.test(f)).map((f) => (f === 'consort.md' ? './man/consort.1' : `./man/consort-${f.slice(0, -3)}.1`)),
    ...readdirSync(new URL('topics/', DOCS)).filter((f) => f.endsWith('.md')).map((f) => `./man/consort-${f.slice(0, -3)}.7`),
  ];
  expect([...pkg.man].sort()).toEqual(expected.sort());
});

describe('README: the first screen and a short tour', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  test('under about 300 lines, with the two commands and where the rest is', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('consort help');
    expect(readme).toMatch(/man consort/);
    expect(readme).toContain('docs/');
  });
  test('keeps the exit-code table (SPEC 4), the same codes as --help', () => {
    for (let c = 0; c <= 8; c++) expect(readme).toMatch(new RegExp(`^\\| ${c} \\| \\S`, 'm'));
  });
  test('every docs page it links to exists', () => {
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect(() => readFileSync(new URL(`../../${link}`, import.meta.url))).not.toThrow();
  });
});

test("the reference lists newsletter export's formats as the renderer's one list has them, the default first", async () => {
  const { NEWSLETTER_FORMATS } = await import('../../src/domain/newsletter/newsletter.render.js');
  const page = readFileSync(new URL('newsletter.md', DOCS), 'utf8');
  expect(/\[--format ([a-z0-9|]+)\]/.exec(page)?.[1]?.split('|')).toEqual(NEWSLETTER_FORMATS);
  expect([...page.matchAll(/`([a-z0-9]+)` \(/g)].map((m) => m[1])).toEqual(NEWSLETTER_FORMATS);
  const table = readFileSync(new URL('topics/formats.md', DOCS), 'utf8').split('\n').find((l) => l.startsWith('| `newsletter export` |'))!;
  expect([...table.split(' | ')[1]!.matchAll(/`([a-z0-9]+)`/g)].map((m) => m[1])).toEqual(NEWSLETTER_FORMATS);
});

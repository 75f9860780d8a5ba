import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every cycle of an import graph (file -> the files it imports), each as `a -> b -> a`. */
function cyclesIn(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

/**
 * A module that starts a bundle of its own (the import's reader thread, bench:floor's reader)
 * may be the first to import any of the row schemas: no import cycle may run through them.
 * (This file imports nothing else first, so its module graph starts at schema.ts.)
 */
test('schema.ts imported first loads every import\'s row schema', async () => {
  const { rowParser } = await import('../../src/domain/shared/schema.js');
  const { IMPORT_ROWS } = await import('../../src/domain/import/import.rows.js');
  expect(typeof rowParser).toBe('function');
  expect(Object.keys(IMPORT_ROWS)).toEqual(['member', 'activity', 'consent']);
  expect(IMPORT_ROWS.member.parse({ name: 'A', email: 'a@example.org' }, 2, 'x.csv')).toMatchObject({ name: 'A', status: 'contact' });
});

/**
 * A module in an import cycle may run before a module it imports has finished (the schema cycle
 * above broke bench:floor that way), so src/ has none. The static imports are those esbuild
 * bundles (type-only imports are not); a dynamic import() runs later, so it makes no cycle.
 */
test('no static import cycle runs through src/ or db/', async () => {
  const { build } = await import('esbuild');
  const entryPoints = ['src', 'db'].flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)));
  const { metafile } = await build({ entryPoints, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', outdir: 'unused', loader: { '.md': 'text' }, logLevel: 'silent' });
  const imports = new Map(Object.entries(metafile.inputs).map(([file, input]) => [file, input.imports.filter((i) => i.kind === 'import-statement').map((i) => i.path)]));
  expect(imports.get('src/domain/import/import.ts')).toContain('src/domain/import/import.read.ts');
  expect(cyclesIn(imports)).toEqual([]);
});

/**
 * Type-only imports make no cycle at run time, but a type declared on the wrong side of two
 * modules that need each other is a layering mistake all the same (a newcomer cannot tell which
 * depends on which). Read from the source, every import and re-export counts, `import type` too;
 * a dynamic import() does not.
 */
test('no import cycle, type-only imports included, runs through src/ or db/', () => {
  const files = ['src', 'db'].flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)));
  const known = new Set(files);
  const graph = new Map(
    files.map((file) => {
      const text = readFileSync(file, 'utf8');
      const deps = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => relative('.', resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'))));
      return [file, deps.filter((d) => known.has(d))];
    }),
  );
  expect(graph.get('src/domain/shared/schema.ts')!.length).toBeGreaterThan(0);
  expect(cyclesIn(graph)).toEqual([]);
});

/**
 * main.ts is the top of the tree: it builds the program, which builds the commands. A command
 * that imported it, even lazily (the demo once did, to run its tour), would make the entry point
 * a dependency of what it runs; a command that runs others is given main's run instead.
 */
test('nothing under src/ imports main.ts, not even with a dynamic import()', () => {
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'main.ts').map((f) => join('src', f));
  const importers = files.filter((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)'(\.[^']+)'/g)].some((m) => relative('.', resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'))) === 'src/main.ts'),
  );
  expect(files.length).toBeGreaterThan(50);
  expect(importers).toEqual([]);
});

/** The `--flags` a text names: two dashes and a letter, not inside a word (`a--b`) or a longer dash run. */
const flagsIn = (text: string): string[] => text.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [];

/**
 * Domain code speaks the domain's language: a flag is how the command line spells an option, so
 * a message or hint that names one is worded in src/commands or src/cli (a service throws a reason,
 * src/cli/reasons.ts words it; an option schema writes `{flag}`, src/cli/options.ts spells it).
 * The whole text is read, comments too: a comment that names a flag goes stale as silently when
 * the flag is renamed, and a plain reading of the text needs no parser to be sure of strings.
 */
test('no file under src/domain names a --flag', () => {
  expect(flagsIn("throw new UsageError('nothing to change', 'pass --name or `--org`');")).toEqual(['--name', '--org']);
  expect(flagsIn('// a--b, ---x and -- alone are no flags')).toEqual([]);
  const files = readdirSync('src/domain', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join('src/domain', f));
  const naming = files.filter((file) => flagsIn(readFileSync(file, 'utf8')).length);
  const found = naming.flatMap((file) => readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (flagsIn(line).length ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
  expect(files.length).toBeGreaterThan(50);
  expect(found).toEqual([]);
});

/**
 * A command file is short (STYLE.md, principle 2): its options, a call to a service, a render.
 * A command whose run has more to it (notice send's two runs) keeps that in src/cli/.
 */
test('every command file is under 80 lines', () => {
  const files = readdirSync('src/commands', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join('src/commands', f));
  const long = files.map((file) => [file, readFileSync(file, 'utf8').split('\n').length - 1] as const).filter(([, lines]) => lines >= 80);
  expect(files.length).toBeGreaterThan(50);
  expect(long).toEqual([]);
});

/**
 * One command a file (STYLE.md): `consort GROUP VERB` is `src/commands/GROUP/VERB.ts`, and a
 * group's index.ts only names the group and registers its verbs, so a newcomer finds any command
 * by its name. (A top-level command without verbs, like init, is `src/commands/NAME.ts`.)
 */
test('a group index.ts runs no command; each command file runs one', () => {
  const groups = readdirSync('src/commands', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join('src/commands', d.name));
  expect(groups.length).toBeGreaterThan(15);
  const actions = (file: string) => (readFileSync(file, 'utf8').match(/\.action\(/g) ?? []).length;
  expect(groups.filter((g) => actions(join(g, 'index.ts')) > 0)).toEqual([]);
  const files = groups.flatMap((g) => readdirSync(g).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => join(g, f)));
  expect(files.filter((f) => actions(f) !== 1)).toEqual([]);
  const topLevel = readdirSync('src/commands').filter((f) => f.endsWith('.ts')).map((f) => join('src/commands', f));
  expect(topLevel.length).toBeGreaterThan(3);
  expect(topLevel.filter((f) => actions(f) !== 1)).toEqual([]);
});

/**
 * Queries live in repos (STYLE.md, principle 8): a service reads as its rules, and every
 * statement an area runs is found in its `<area>.repo.ts`. Outside `src/db/` (connections,
 * transactions, the bulk paths' statements) and the repos, no line builds, prepares or runs a
 * query: no query builder, no `sql` tag, nothing on the raw SQLite handle, no prepared or streamed
 * statement of src/db's, no `.execute()`, no SQL text. Comment lines are not read: they may describe a query.
 */
const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`|\bsql\.\w+\(|\.sqlite\.|\bimport\b.*\b(prepare|streamRows)\b.*\/db\/statements\.js'|\.execute(TakeFirst(OrThrow)?)?\(|[`'"]\s*(select\s+[\w.*]+(\s*,|\s+as\s|\s+from\s|\s*$)|insert into\s|delete from\s|update \w+ set\s|with \w+ as \()/i;
const isComment = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

test('no file outside src/db and the repos builds, prepares or runs a query', () => {
  const caught = [
    "const row = await db.selectFrom('settings').select('value').executeTakeFirst();",
    "await sql`rollback`.execute(conn);",
    'q = q.where(sql<boolean>`p.id = ${id}`);',
    'await sql.raw(how).execute(conn);',
    "db.sqlite.pragma('cache_size = -131072');",
    "import { streamRows } from '../../db/statements.js';",
    "import { prepare, type Statement } from '../db/statements.js';",
    'return (await q.execute()).map(toOrg);',
    'const person = prepare<PersonRow>(db, undefined, `select p.id from person p`).get(key);',
    "const text = 'SELECT name FROM person';",
  ];
  expect(caught.filter((line) => !QUERY.test(line))).toEqual([]);
  expect(['// select from settings, then sql`rollback`', ' * db.sqlite.prepare(...)', 'const applier = await this.spec.prepare(this.conn);', 'prepare(conn: Kysely<Database>): Promise<RowApplier<Row>>;', "import { eachRow } from '../../db/statements.js';", "const words = 'select one of the formats';"].filter((line) => QUERY.test(line) && !isComment(line))).toEqual([]);
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith('db/') && !f.endsWith('.repo.ts'))
    .map((f) => join('src', f));
  const found = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (QUERY.test(line) && !isComment(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
  expect(files.length).toBeGreaterThan(100);
  expect(found).toEqual([]);
});

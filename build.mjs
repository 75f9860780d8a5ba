// Bundles src/ into dist/ with esbuild: one small entry (so `--version` loads almost
// nothing) and lazily loaded chunks per command. better-sqlite3's JavaScript is bundled
// (its native addon is loaded from node_modules by path); pg stays external, loaded only
// for a PostgreSQL database.
//
// esbuild splits code into chunks only for ES modules, but Node 20's ES module loader costs
// every command about 7 ms to start and more per chunk than require() does. So the chunks are
// split as ES modules, then each is rewritten as CommonJS (its dynamic imports become
// require()), and bin/consort requires dist/main.js.
import { build, transform } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const dist = fileURLToPath(new URL('./dist', import.meta.url));
rmSync(dist, { recursive: true, force: true });
/**
 * commander requires node:child_process at load time for stand-alone executable subcommands,
 * which consort has none of; loading it costs about 2 ms of every start. Inside commander,
 * it is a proxy that loads the module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/**
 * The chunks load through this function, not require(): Node's require() of a file resolves
 * the path, stats it, finds its real path and reads the package.json around it, about 0.15 ms a
 * file, and `member show` loads 24 chunks. And each chunk is compiled from V8's code cache
 * (FILE.cache, written below), where the Node 20 that consort supports has no code cache of its
 * own for CommonJS. A cache that this node cannot use (another version, other V8 flags) is
 * rejected by V8, and the chunk is compiled from its source, as require() would.
 * Written out as source into dist/main.js and dist/import-worker.js (`String(loadChunks)`,
 * with `wrap`): it must need nothing but Node's own modules.
 */
function loadChunks(dir, wrap) {
  const { readFileSync } = require('node:fs');
  const { Script } = require('node:vm');
  const modules = new Map();
  // Set by the build's training runs (below): the scripts loaded, whose code cache it writes at exit.
  const trained = globalThis[Symbol.for('consort.build.scripts')];
  const load = (name) => {
    let module = modules.get(name);
    if (module) return module.exports;
    module = { exports: {} };
    modules.set(name, module);
    const file = `${dir}/${name}`;
    let cachedData;
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      // No cache: compiled from the source.
    }
    const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
    trained?.push([file, script]);
    script.runInThisContext().call(module.exports, module.exports, require, module, file, dir, load);
    return module.exports;
  };
  return load;
}
/** A chunk's source as a function of what CommonJS gives a module, and the loader; one line, so its lines keep their numbers. */
const wrap = (code) => `(function (exports, require, module, __filename, __dirname, __load) {${code}\n})`;

const { outputFiles } = await build({
  // import-worker: the reader thread of a file import (src/domain/import/import.read.ts).
  entryPoints: { main: 'src/main.ts', 'import-worker': 'src/domain/import/import.worker.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['bindings', 'pg', 'pg-cursor', 'pg-copy-streams'],
  // CommonJS has no import.meta: each chunk defines its own URL (see the banner below).
  define: { 'import.meta.url': '__chunk_url' },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  // The help topics (docs/topics/*.md) are bundled as text into help's own chunk: the installed CLI needs no docs/.
  loader: { '.md': 'text' },
  plugins: [lazyChildProcess],
});
for (const file of outputFiles) {
  const chunk = file.path.includes('/chunks/');
  let { code } = await transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    // Strict, as the ES module it was: a write to a frozen object (Kysely freezes its query nodes) must throw.
    banner: "'use strict';",
    logLevel: 'warning',
  });
  // One chunk requiring another, or an entry a chunk: through loadChunks (above).
  code = code.replace(/\brequire\("\.\/(?:chunks\/)?([\w.-]+\.js)"\)/g, (_, name) => `__load(${JSON.stringify(name)})`);
  if (code.includes('__chunk_url')) code = code.replace("'use strict';", "'use strict';\nvar __chunk_url = require('node:url').pathToFileURL(__filename).href;");
  if (!chunk) code = code.replace("'use strict';", `'use strict';\nvar __load = (${loadChunks})(require('node:path').join(__dirname, 'chunks'), ${wrap});`);
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, code);
  // The code cache of what compiling alone compiles; the training runs below write a fuller one.
  if (chunk) writeFileSync(`${file.path}.cache`, new Script(wrap(code), { filename: file.path }).createCachedData());
}
// The package is "type": "module"; dist's .js files are CommonJS.
writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');

// Training runs: commands run as a user runs them, each writing at its exit the code cache of
// every chunk it loaded, with the functions it compiled (a chunk several load keeps the last
// one's). `member show` runs last: SPEC 7 times its start.
const scratch = mkdtempSync(join(tmpdir(), 'consort-build-'));
try {
  const hook = join(scratch, 'train.cjs');
  writeFileSync(hook, `const scripts = (globalThis[Symbol.for('consort.build.scripts')] = []);
process.on('exit', () => { for (const [file, script] of scripts) require('node:fs').writeFileSync(file + '.cache', script.createCachedData()); });\n`);
  const bin = fileURLToPath(new URL('./bin/consort', import.meta.url));
  const db = join(scratch, 'train.db');
  const runs = [['init'], ['member', 'add', '--name', 'Ada Example', '--email', 'ada@example.org'], ['member', 'list'], ['member', 'show', 'ada@example.org']];
  for (const args of runs) {
    const run = spawnSync(process.execPath, ['--require', hook, bin, '--db', db, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: scratch } });
    if (run.status !== 0) throw new Error(`build: training run consort ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// Manual pages, from the same Markdown as the help topics (docs/), with marked-man: consort(1) from
// docs/consort.md, consort-GROUP(1) from docs/GROUP.md, consort-TOPIC(7) from docs/topics/TOPIC.md.
// They are build output like dist/ (package.json "man" lists them, so `npm install -g` installs them);
// man/ holds only its .gitignore in git, so the pages can never drift from docs/.
const { Marked } = await import('marked');
const { default: markedMan } = await import('marked-man');
const { readdirSync, readFileSync } = await import('node:fs');
const root = fileURLToPath(new URL('.', import.meta.url));
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const manDir = join(root, 'man');
mkdirSync(manDir, { recursive: true });
for (const f of readdirSync(manDir)) if (/\.[17]$/.test(f)) rmSync(join(manDir, f));
const pages = [
  ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && /^[a-z]/.test(f)).map((f) => [join('docs', f), f === 'consort.md' ? 'consort.1' : `consort-${f.slice(0, -3)}.1`]),
  ...readdirSync(join(root, 'docs', 'topics')).filter((f) => f.endsWith('.md')).map((f) => [join('docs', 'topics', f), `consort-${f.slice(0, -3)}.7`]),
];
for (const [source, page] of pages) {
  const marked = new Marked({ ...markedMan, breaks: false, manVersion: `consort ${version}`, manual: 'consort manual' });
  // groff reads ASCII unless told otherwise (-k): every other character as its \[uXXXX] escape.
  const roff = marked.parse(readFileSync(join(root, source), 'utf8')).replace(/[^\x00-\x7f]/gu, (c) => `\\[u${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
  // marked escapes HTML entities in code spans, which roff would show as they are.
  const entities = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
  writeFileSync(join(manDir, page), roff.replace(/&(quot|#39|lt|gt|amp);/g, (e) => entities[e]));
}

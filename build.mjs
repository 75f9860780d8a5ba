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
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const { code } = await transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    // Strict, as the ES module it was: a write to a frozen object (Kysely freezes its query nodes) must throw.
    banner: "'use strict';\nvar __chunk_url = require('node:url').pathToFileURL(__filename).href;",
    logLevel: 'warning',
  });
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, code);
}
// The package is "type": "module"; dist's .js files are CommonJS.
writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');

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

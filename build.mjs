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
  // import-worker: the reader thread of a file import (src/domain/import.read.ts).
  entryPoints: { main: 'src/main.ts', 'import-worker': 'src/domain/import.worker.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['bindings', 'pg', 'pg-cursor'],
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

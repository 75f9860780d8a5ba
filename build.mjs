// Bundles src/ into dist/ with esbuild: one small entry (so `--version` loads almost
// nothing) and lazily imported chunks per command. better-sqlite3's JavaScript is bundled
// (its native addon is loaded from node_modules by path); pg stays external, loaded only
// for a PostgreSQL database.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
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

await build({
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['bindings', 'pg', 'pg-cursor'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [lazyChildProcess],
});

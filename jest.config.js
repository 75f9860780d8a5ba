/**
 * Jest on ESM TypeScript through @swc/jest (see ../shared/TOOLCHAIN.md). test/run.mjs runs it
 * twice: on SQLite, then with CONSORT_TEST_PG on PostgreSQL, where the tests that need no
 * database (they ran once already) and the SQLite-only ones (*.sqlite.*: the file itself) stay out.
 */
const NO_DATABASE = ['/test/io/', '/test/db/migrations\\.test', '/test/domain/email\\.test', '/test/domain/time\\.test', '/test/version\\.test', '/test/help/'];
const onPostgres = Boolean(process.env.CONSORT_TEST_PG);

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: onPostgres ? ['/node_modules/', '\\.sqlite\\.', ...NO_DATABASE] : ['/node_modules/', '\\.postgres\\.'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'ts', 'json', 'node', 'md'],
  transform: {
    // The help topics import docs/topics/*.md as text, as esbuild's text loader bundles them.
    '^.+\\.md$': '<rootDir>/test/helpers/text-transform.cjs',
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  cacheDirectory: '<rootDir>/.jest-cache',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs'],
};

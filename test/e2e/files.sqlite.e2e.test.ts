/**
 * End-to-end, SQLite only: what consort does with the database file itself (PostgreSQL's
 * databases are made and guarded by their administrators).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { consort, expectNoStack, expectOneLineError, mode } from '../helpers/e2e.js';
import { tempDir } from '../helpers/db.js';

describe('init (P4)', () => {
  test('P4: creates the file 0600 and the directories it creates 0700; prints the path; a second init exits 6', async () => {
    const root = tempDir();
    const db = join(root, 'made', 'by', 'consort', 'c.db');
    const r = await consort(['init', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(db + '\n');
    expect(r.stderr).toContain(`created consort database at ${db}`);
    expectNoStack(r);
    expect(existsSync(db)).toBe(true);
    expect(mode(db)).toBe(0o600);
    expect(mode(dirname(db))).toBe(0o700);
    expect(mode(join(root, 'made'))).toBe(0o700);
    expect(mode(join(root, 'made', 'by'))).toBe(0o700);

    const again = await consort(['init', '--db', db]);
    expectOneLineError(again, 6);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(db);
    expect(again.stderr).toMatch(/already exists/);
    // The first database is intact: still a working, verified database.
    const verify = await consort(['audit', 'verify', '--db', db]);
    expect(verify.code).toBe(0);
  });
});


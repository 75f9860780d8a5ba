import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { newDatabase, onPostgres, tempDir } from '../helpers/db.js';

const json = async (db: string, ...argv: string[]) => JSON.parse((await runCli([...argv, '--format', 'json', '--db', db])).stdout);

/** What a database says about itself, engine aside, read without changing it: what a copy must carry. */
async function portrait(db: string) {
  return {
    people: await json(db, 'member', 'list'),
    organisations: await json(db, 'org', 'list'),
    consents: await json(db, 'consent', 'show', 'zoe@example.org'),
    disclosures: await json(db, 'disclosures', 'list'),
  };
}

/** The audit chain as (seq, hash) pairs. */
const chain = async (db: string) => (await json(db, 'audit', 'list')).map((e: { seq: number; hash: string }) => [e.seq, e.hash]);

describe(`db copy (SQLite → ${onPostgres ? 'PostgreSQL' : 'SQLite'} → SQLite)`, () => {
  test('carries every row and the audit chain there and back; the target must be empty; ids continue after the copied ones', async () => {
    const dir = tempDir();
    const source = join(dir, 'source.db');
    const run = (db: string, ...argv: string[]) => runCli([...argv, '--db', db]);
    await run(source, 'init');
    writeFileSync(join(dir, 'p.csv'), 'name,email,organization,status,newsletter\nAda Lovelace,ada@example.org,Engines Ltd,member,\nBo Ek,bo@example.org,,contact,yes\nZoë Ångström,zoe@example.org,Laboratoire Évry,member,no\n');
    expect((await run(source, 'member', 'import', join(dir, 'p.csv'))).code).toBe(0);
    await run(source, 'consent', 'withdraw', 'bo@example.org', 'newsletter');
    await run(source, 'document', 'add', 'spec', '--title', 'The Spec', '--release-on', '2026-06-30');

    const middle = await newDatabase(dir, 'middle.db');
    const there = await runCli(['db', 'copy', '--to', middle, '--format', 'json', '--db', source]);
    expect(there.stderr).toMatch(/copied \d+ rows in 17 tables .* its audit chain verifies/);
    expect(there.code).toBe(0);
    expect(JSON.parse(there.stdout)).toMatchObject({ tables: { person: 3, organisation: 2, document: 1 }, audit: { ok: true } });

    // The copy holds the source's whole chain, down to the entry that records the copy.
    expect(await chain(middle)).toEqual(await chain(source));
    expect(await portrait(middle)).toEqual(await portrait(source));

    const back = join(dir, 'back.db');
    expect((await runCli(['db', 'copy', '--to', back, '--db', middle])).code).toBe(0);
    expect(await chain(back)).toEqual(await chain(middle));
    expect(await portrait(back)).toEqual(await portrait(source));
    expect((await run(back, 'audit', 'verify')).code).toBe(0);
    expect((await run(back, 'newsletter', 'export')).stdout).toBe((await run(source, 'newsletter', 'export')).stdout);

    // A target that already holds a database is refused, and left as it was.
    const again = await runCli(['db', 'copy', '--to', middle, '--db', source]);
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/already holds a consort database/);

    // New rows in the copy get new ids after the copied ones.
    expect((await run(middle, 'member', 'add', '--name', 'New One', '--email', 'new@example.org')).code).toBe(0);
    const added = JSON.parse((await runCli(['member', 'show', 'new@example.org', '--format', 'json', '--db', middle])).stdout);
    expect(added.id).toBe(4);
  });
});

import { suppress } from '../../src/domain/research/research.service.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase } from '../helpers/db.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const row = (group: string, people: number, members = 0, activities = 0) => ({ group, people, members, activities });

/** A new database holding these people (`name,email,organization,status` lines), and a way to run consort on it. */
async function withPeople(people: string[]) {
  const dir = tempDir();
  const db = await newDatabase(dir);
  const run = (...a: string[]) => runCli([...a, '--db', db]);
  await run('init');
  writeFileSync(join(dir, 'p.csv'), ['name,email,organization,status', ...people].join('\n') + '\n');
  expect((await run('member', 'import', join(dir, 'p.csv'))).code).toBe(0);
  return run;
}

describe('P3: research export suppression', () => {
  test('a row with a small cell is hidden whole; a lone hidden row takes a second one with it', () => {
    const { rows, total } = suppress([row('a', 3, 3), row('b', 40, 30), row('c', 7, 6), row('d', 0)], 5);
    expect(rows.map((r) => r.people)).toEqual([null, 40, null, 0]);
    expect(rows.map((r) => r.suppressed.length)).toEqual([3, 0, 3, 0]);
    // The total minus the shown rows gives only the sum of two hidden rows, never one.
    expect(total.people).toBe(50);
    expect(total.people! - 40 - 0).toBe(10);
  });

  test('no hidden count can be worked out from another column of its row', () => {
    // Members are people: a shown members count of a row whose people are hidden would give them back.
    const { rows, total } = suppress([row('contact', 133, 0), row('former', 4, 0), row('member', 105, 105, 85)], 5);
    expect(rows.find((r) => r.group === 'member')).toMatchObject({ people: null, members: null, activities: null });
    // The member row's people are its members, and the members total is printed by every other
    // grouping: with the contact row shown, 242 - 133 - 105 would give the former row's 4 back.
    expect(rows.find((r) => r.group === 'contact')).toMatchObject({ people: null, members: null });
    expect(total).toMatchObject({ people: 242, members: null, activities: null });
  });

  test('P3: two small rows whose sum is still small take a third with them; a small total is suppressed too', () => {
    // With c shown, 33 - 30 = 3 would be the two small rows together.
    expect(suppress([row('a', 1), row('b', 2), row('c', 30)], 5)).toMatchObject({ rows: [{ people: null }, { people: null }, { people: null }], total: { people: 33 } });
    expect(suppress([row('a', 1), row('b', 2)], 5).total.people).toBeNull();
  });

  test('P3: a column with one hidden cell above 0 takes a second, or its total is suppressed', () => {
    // x is hidden for its 4 people; y, the smallest other row, goes with it. y alone of the hidden rows
    // has members and activities, so the totals would give y's 9 and 7 back, and with y's 9 members
    // (all its people) the people total would give x's 4: w is hidden too, z stays.
    const { rows, total } = suppress([row('w', 45, 30, 50), row('x', 4, 0, 0), row('y', 9, 9, 7), row('z', 50, 40, 60)], 5);
    expect(rows.map((r) => [r.group, r.people, r.members, r.activities])).toEqual([
      ['w', null, null, null],
      ['x', null, null, null],
      ['y', null, null, null],
      ['z', 50, 40, 60],
    ]);
    expect(total).toMatchObject({ people: 108, members: 79, activities: 117, suppressed: [] });
    // A lone row has no second row to hide with: its totals are the row, so they go too.
    expect(suppress([row('only', 20, 20, 3)], 5).total).toMatchObject({ people: null, members: null, activities: null, suppressed: ['people', 'members', 'activities'] });
  });

  test('P3: no column ever lets the total give back one hidden cell or a small hidden sum', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const sizes = [0, 1, 2, 3, 4, 5, 6, 9, 20, 60];
    for (let t = 0; t < 2000; t++) {
      const input = Array.from({ length: 1 + rnd(6) }, (_, i) => {
        const people = 1 + rnd(40) < 20 ? sizes[1 + rnd(9)]! : 1 + rnd(60);
        const members = rnd(3) ? rnd(people + 1) : people;
        return row(`g${i}`, people, members, rnd(2) ? 0 : sizes[rnd(10)]!);
      });
      const { rows, total } = suppress(input, 5);
      for (const m of ['people', 'members', 'activities'] as const) {
        const hidden = input.filter((r, i) => rows[i]![m] === null && r[m] > 0).map((r) => r[m]);
        const sum = hidden.reduce((s, n) => s + n, 0);
        for (const [i, r] of rows.entries()) if (r[m] !== null) expect(r[m]).toBe(input[i]![m]);
        if (total[m] !== null && hidden.length) {
          expect(hidden.length).toBeGreaterThanOrEqual(2);
          expect(sum).toBeGreaterThanOrEqual(5);
        }
      }
    }
  });

  test('P3: the tester\'s export by org: no small count is the total minus the shown rows, in this grouping or with the totals of another', async () => {
    const people: string[] = [];
    for (let i = 0; i < 10; i++) people.push(`A ${i},a${i}@example.org,OrgA,member`);
    for (let i = 0; i < 6; i++) people.push(`B ${i},b${i}@example.org,OrgB,member`);
    for (let i = 0; i < 7; i++) people.push(`C ${i},c${i}@example.org,OrgC,contact`);
    const run = await withPeople(people);
    const log = (email: string, i: number) => run('activity', 'log', email, 'edit', '--at', `2026-02-${String(10 + i).padStart(2, '0')}T09:00:00Z`);
    for (let i = 0; i < 10; i++) expect((await log(`a${i}@example.org`, i)).code).toBe(0);
    for (let i = 0; i < 2; i++) expect((await log(`b${i}@example.org`, i)).code).toBe(0);

    const csv = await run('research', 'export', '--by', 'org');
    expect(csv.code).toBe(0);
    // Before: OrgA 10,10,10 shown and OrgB, OrgC hidden, so 12 - 10 gave OrgB's 2 activities.
    expect(csv.stdout.split('\r\n')).toEqual([
      'org,people,members,activities',
      'OrgA,suppressed,suppressed,suppressed',
      'OrgB,suppressed,suppressed,suppressed',
      'OrgC,7,0,0',
      'total,23,16,12',
      '',
    ]);
    const json = JSON.parse((await run('research', 'export', '--by', 'org', '--format', 'json')).stdout);
    expect(json.rows).toEqual([
      { group: 'OrgA', people: null, members: null, activities: null, suppressed: ['people', 'members', 'activities'] },
      { group: 'OrgB', people: null, members: null, activities: null, suppressed: ['people', 'members', 'activities'] },
      { group: 'OrgC', people: 7, members: 0, activities: 0, suppressed: [] },
    ]);
    expect(json.total).toEqual({ group: 'total', people: 23, members: 16, activities: 12, suppressed: [] });
    // The status grouping shows the same totals: hiding them here would not have been enough.
    const status = JSON.parse((await run('research', 'export', '--by', 'status', '--format', 'json')).stdout);
    expect(status.total).toMatchObject({ people: 23, members: 16, activities: 12 });
    for (const m of ['people', 'members', 'activities'] as const) {
      const hiddenSum = status.total[m] - json.rows.reduce((s: number, r: Record<string, number | null>) => s + (r[m] ?? 0), 0);
      expect(hiddenSum === 0 || hiddenSum >= json.min_cell).toBe(true);
    }
  });

  test('the export never contains a name, email or id, in any grouping and format', async () => {
    const people: string[] = [];
    for (let i = 0; i < 30; i++) people.push(`Person Zq${i} Surname,zq${i}@example.org,Org ${i % 4},${i % 3 ? 'member' : 'contact'}`);
    const run = await withPeople(people);
    await run('document', 'add', 'spec', '--title', 'Spec');
    await run('activity', 'log', 'zq1@example.org', 'edit', '--document', 'spec');
    for (const by of ['org', 'status', 'month', 'document']) {
      for (const f of ['csv', 'json']) {
        const r = await run('research', 'export', '--by', by, '--format', f);
        expect(r.code).toBe(0);
        expect(r.stdout).not.toMatch(/zq\d|Surname|@|"id"/i);
      }
    }
    const doc = JSON.parse((await run('research', 'export', '--by', 'document', '--format', 'json')).stdout);
    expect(doc.rows).toEqual([{ group: 'spec', people: null, members: null, activities: null, suppressed: ['people', 'members', 'activities'] }]);
    expect((await run('audit', 'list', '--format', 'json')).stdout).toMatch(/export research by document \(purpose research, audience researchers\)/);
    expect((await run('research', 'export', '--by', 'name')).code).toBe(2);
  });
});

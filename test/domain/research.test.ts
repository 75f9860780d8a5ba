import { suppress } from '../../src/domain/research/research.service.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, newDatabase } from '../helpers/db.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const row = (group: string, people: number, members = 0, activities = 0) => ({ group, people, members, activities });

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
    const { rows } = suppress([row('contact', 133, 0), row('former', 4, 0), row('member', 105, 105, 85)], 5);
    expect(rows.find((r) => r.group === 'member')).toMatchObject({ people: null, members: null, activities: null });
    expect(rows.find((r) => r.group === 'contact')).toMatchObject({ people: 133, members: 0 });
  });

  test('two small rows need no extra suppression; a small total is suppressed too', () => {
    expect(suppress([row('a', 1), row('b', 2), row('c', 30)], 5).rows.map((r) => r.people)).toEqual([null, null, 30]);
    expect(suppress([row('a', 1), row('b', 2)], 5).total.people).toBeNull();
  });

  test('the export never contains a name, email or id, in any grouping and format', async () => {
    const dir = tempDir();
    const db = await newDatabase(dir);
    const run = (...a: string[]) => runCli([...a, '--db', db]);
    await run('init');
    const people = ['name,email,organization,status'];
    for (let i = 0; i < 30; i++) people.push(`Person Zq${i} Surname,zq${i}@example.org,Org ${i % 4},${i % 3 ? 'member' : 'contact'}`);
    writeFileSync(join(dir, 'p.csv'), people.join('\n') + '\n');
    await run('member', 'import', join(dir, 'p.csv'));
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

/**
 * Round trips (SPEC 4): what member list and activity list print as csv or ndjson, the matching
 * import reads back as it is; generated people (fast-check), written one way and read the other.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { csvLine } from '../../src/io/csv.js';
import { runCli } from '../helpers/cli.js';
import { newDatabase, tempDir } from '../helpers/db.js';

async function db() {
  const path = await newDatabase();
  expect((await runCli(['init', '--db', path])).code).toBe(0);
  return path;
}

/** People as a list shows them, without what only the database that holds them decides (id, times, source). */
async function people(path: string) {
  const r = await runCli(['member', 'list', '--format', 'json', '--db', path]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as Array<Record<string, unknown>>).map(({ name, email, status, organisation }) => ({ name, email, status, organisation }));
}

const letters = fc.constantFrom('a', 'b', 'é', 'ß', '中', 'ж', ' ', '"', ',', "'", 'Ω', '👩‍💻', 'e\u0301');
const text = fc.array(letters, { minLength: 1, maxLength: 12 }).map((a) => `N${a.join('')}x`);
/** Names a CSV writes as they are; a cell beginning = + - @ is neutralised for spreadsheets (a leading '), so NDJSON carries those. */
const hostile = fc.oneof(text, fc.constantFrom('=1+2', '+44 20', '-3', '@SUM(A1)', 'tab\there', 'line\nbreak', '\u202eevil'));
const person = (name: fc.Arbitrary<string>) =>
  fc.record({ name, org: fc.option(fc.constantFrom('Org A', 'Zoë Labs', 'Ünïversität, "Süd"', '東京大学'), { nil: undefined }), status: fc.constantFrom('member', 'contact') });

async function roundTrip(format: 'csv' | 'ndjson', list: Array<{ name: string; org?: string; status: string }>) {
  const dir = tempDir();
  const first = await db();
  const source = join(dir, 'people.ndjson');
  writeFileSync(source, list.map((p, i) => JSON.stringify({ name: p.name, email: `p${i}@example.org`, organization: p.org, status: p.status }) + '\n').join(''));
  expect((await runCli(['member', 'import', source, '--db', first])).code).toBe(0);
  const written = await runCli(['member', 'list', '--format', format, '--db', first]);
  const file = join(dir, `list.${format}`);
  writeFileSync(file, written.stdout);
  const second = await db();
  const back = await runCli(['member', 'import', file, '--db', second]);
  expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/unknown|invalid/) });
  expect(await people(second)).toEqual(await people(first));
}

describe('member list → member import', () => {
  test('csv: the header (organisation, created) is read back as it is', async () => {
    await fc.assert(fc.asyncProperty(fc.array(person(text), { minLength: 1, maxLength: 6 }), (list) => roundTrip('csv', list)), { numRuns: 8 });
  });

  test('ndjson: read-only keys (id, source, created_at, updated_at) ignored; hostile names whole', async () => {
    await fc.assert(fc.asyncProperty(fc.array(person(hostile), { minLength: 1, maxLength: 6 }), (list) => roundTrip('ndjson', list)), { numRuns: 8 });
  });

  test('organisation and organization are both accepted; both at once is a mistake', async () => {
    const dir = tempDir();
    const path = await db();
    const a = join(dir, 'a.csv');
    writeFileSync(a, csvLine(['email', 'name', 'organisation', 'created']) + csvLine(['a@example.org', 'A', 'Org A', '2026-01-01T00:00:00.000Z']));
    expect((await runCli(['member', 'import', a, '--db', path])).code).toBe(0);
    const b = join(dir, 'b.ndjson');
    writeFileSync(b, JSON.stringify({ email: 'b@example.org', name: 'B', organization: 'Org B' }) + '\n');
    expect((await runCli(['member', 'import', b, '--db', path])).code).toBe(0);
    expect(await people(path)).toEqual([
      { name: 'A', email: 'a@example.org', status: 'contact', organisation: 'Org A' },
      { name: 'B', email: 'b@example.org', status: 'contact', organisation: 'Org B' },
    ]);
    const both = join(dir, 'both.csv');
    writeFileSync(both, csvLine(['email', 'name', 'organisation', 'organization']) + csvLine(['c@example.org', 'C', 'X', 'Y']));
    const r = await runCli(['member', 'import', both, '--db', path]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/column organization named twice/);
    const twice = join(dir, 'twice.ndjson');
    writeFileSync(twice, JSON.stringify({ email: 'd@example.org', name: 'D', organisation: 'X', organization: 'Y' }) + '\n');
    const t = await runCli(['member', 'import', twice, '--db', path]);
    expect(t.code).toBe(4);
    expect(t.stderr).toMatch(/twice\.ndjson:1: organization: key organization given twice/);
    // A column no list writes is still refused, naming it.
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, csvLine(['email', 'name', 'shoe size']) + csvLine(['e@example.org', 'E', '9']));
    expect((await runCli(['member', 'import', odd, '--db', path])).stderr).toMatch(/unknown column shoe size/);
  });
});

describe('activity list → activity import', () => {
  test.each(['csv', 'ndjson'] as const)('%s: the events come back the same', async (format) => {
    const dir = tempDir();
    const first = await db();
    const second = await db();
    for (const path of [first, second]) {
      await runCli(['member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member', '--db', path]);
      await runCli(['document', 'add', 'qti-3', '--title', 'QTI 3', '--db', path]);
    }
    await runCli(['activity', 'log', 'ada@example.org', 'edit', '--document', 'qti-3', '--at', '2026-02-01T10:00:00Z', '--detail', '{"page":"/a, \\"b\\""}', '--db', first]);
    await runCli(['activity', 'log', 'ada@example.org', 'login', '--at', '2026-02-02T10:00:00Z', '--db', first]);
    const file = join(dir, `activity.${format}`);
    writeFileSync(file, (await runCli(['activity', 'list', '--format', format, '--db', first])).stdout);
    const r = await runCli(['activity', 'import', file, '--db', second]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/unknown|invalid/) });
    const events = async (path: string) => (JSON.parse((await runCli(['activity', 'list', '--format', 'json', '--db', path])).stdout) as Array<Record<string, unknown>>).map(({ id: _id, ...e }) => e);
    expect(await events(second)).toEqual(await events(first));
    expect(await events(second)).toHaveLength(2);
  });
});

import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { importPeople } from '../../src/domain/member/member.import.js';
import { exportNewsletter } from '../../src/domain/newsletter/newsletter.service.js';
import type { NewsletterFormat } from '../../src/domain/newsletter/newsletter.render.js';
import { csvLine } from '../../src/io/csv.js';
import type { InputProblem } from '../../src/errors.js';
import type { Db } from '../../src/db/connection.js';
import { freshDb, stampAt, rows } from '../helpers/db.js';

/** Names as people have them: any Unicode but NUL, trimmed, NFC, not formula-like (those are neutralised on purpose). */
const name = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .map((s) => s.replace(/\0/g, '').trim().normalize('NFC'))
  .filter((s) => s.length > 0 && !/^[=+\-@\t\r]/.test(s));

async function exported(db: Db, format: NewsletterFormat): Promise<string> {
  let text = '';
  await exportNewsletter(db, stampAt(), format, { destination: null, write: async (t) => void (text += t), commit: async () => {}, abort: async () => {} });
  return text;
}

const input = (name: string, text: string) => ({ name, stream: Readable.from([Buffer.from(text)]), isPipe: false });

describe('property: import then export round-trips every valid row', () => {
  test('names of any script, quotes, commas and newlines survive CSV and NDJSON import, then csv and json export', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 15 }), fc.boolean(), async (names, asCsv) => {
        const { db } = await freshDb();
        const rows = names.map((n, i) => ({ name: n, email: `p${i}@example.org`, newsletter: 'yes' }));
        const text = asCsv ? csvLine(['name', 'email', 'newsletter']) + rows.map((r) => csvLine([r.name, r.email, r.newsletter])).join('') : rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
        const r = await importPeople(db, stampAt(), input(asCsv ? 'p.csv' : 'p.ndjson', text), {});
        expect(r.counts.ADD).toBe(rows.length);
        expect(JSON.parse(await exported(db, 'json'))).toEqual(rows.map(({ name: n, email }) => ({ name: n, email })));
        expect(parseCsv(await exported(db, 'csv'))).toEqual([['name', 'email'], ...rows.map((x) => [x.name, x.email])]);
        await db.close();
      }),
      { numRuns: 40 },
    );
  });

  test('every invalid email is rejected with its line number, and nothing is written', async () => {
    const bad = fc.oneof(fc.constant(''), fc.string({ maxLength: 20 }).filter((s) => !s.includes('@')), fc.constant('a@b'), fc.constant('x@-y.org'), fc.constant('a b@example.org'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(name.map((n) => ({ n, ok: true })), bad.map((e) => ({ n: e, ok: false }))), { minLength: 1, maxLength: 12 }), async (cells) => {
        const { db } = await freshDb();
        const text = 'name,email\n' + cells.map((c, i) => csvLine(['Someone', c.ok ? `ok${i}@example.org` : c.n]).replace(/\r\n$/, '\n')).join('');
        const problems: InputProblem[] = [];
        const run = importPeople(db, stampAt(), input('e.csv', text), {}, { onProblem: (p) => problems.push(p) });
        const badLines = cells.map((c, i) => (c.ok ? 0 : i + 2)).filter(Boolean);
        if (badLines.length) {
          await expect(run).rejects.toThrow(/nothing was written/);
          expect([...new Set(problems.map((p) => p.line))]).toEqual(badLines);
          expect(problems.every((p) => p.field === 'email')).toBe(true);
          expect(Number((await rows<{ n: number }>(db, 'select count(*) as n from person'))[0]!.n)).toBe(0);
        } else {
          await expect(run).resolves.toMatchObject({ invalid: 0 });
        }
        await db.close();
      }),
      { numRuns: 40 },
    );
  });
});

import { Readable } from 'node:stream';
import { readRecords } from '../../src/io/input/read.js';
import { IMPORT_ROWS } from '../../src/domain/import/import.rows.js';

/** The records readRecords yields for TEXT read as NAME, with an import's columns (as both of an import's threads read them). */
async function read(name: string, text: string, kind: keyof typeof IMPORT_ROWS) {
  const { format, records } = await readRecords({ name, stream: Readable.from([Buffer.from(text)]), isPipe: false }, undefined, IMPORT_ROWS[kind].columns);
  const out = [];
  for await (const r of records) out.push(r);
  return { format, records: out };
}

describe('readRecords: NDJSON keys', () => {
  test('a line with a key the import does not know is a bad row naming it; the other lines are read as given', async () => {
    const text = '{"email":"a@example.org","action":"edit","at":"2026-02-01","detail":{"x":1}}\n{"email":"a@example.org","action":"edit","at":"2026-02-01","details":{"x":1}}\n\n{"email":"b@example.org","action":"view","at":"2026-02-01","document":null}\n';
    const { format, records } = await read('a.ndjson', text, 'activity');
    expect(format).toBe('ndjson');
    expect(records).toEqual([
      { line: 1, raw: expect.any(String), fields: { email: 'a@example.org', action: 'edit', at: '2026-02-01', detail: { x: 1 } } },
      { line: 2, raw: text.split('\n')[1], problem: { source: 'a.ndjson', line: 2, field: 'details', reason: "unknown key 'details' (the keys are: email,action,at,document,detail)" } },
      { line: 4, raw: expect.any(String), fields: { email: 'b@example.org', action: 'view', at: '2026-02-01', document: null } },
    ]);
  });

  test('a key such as __proto__ or constructor is unknown too, never read into the row', async () => {
    const { records } = await read('p.ndjson', '{"name":"A","email":"a@example.org","__proto__":{"status":"member"}}\n{"name":"B","email":"b@example.org","constructor":1}\n', 'member');
    expect(records.map((r) => r.problem?.field)).toEqual(['__proto__', 'constructor']);
  });

  test('a key given twice cannot be seen after JSON.parse: the last value counts', async () => {
    const { records } = await read('t.ndjson', '{"name":"A","email":"a@example.org","email":"b@example.org"}\n', 'member');
    expect(records[0]!.fields).toEqual({ name: 'A', email: 'b@example.org' });
  });
});

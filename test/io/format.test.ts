import { displayWidth, drawTable, fitWidths, truncate } from '../../src/io/table.js';
import { Readable, Writable } from 'node:stream';
import { columnKind, humanTimes, renderList, type Column, type ListFormat } from '../../src/io/format.js';
import { Output } from '../../src/io/output.js';

describe('table widths', () => {
  test('columns that fit keep their natural width', () => {
    expect(fitWidths([5, 10, 20], ['fixed', 'text', 'text'], 100)).toEqual([5, 10, 20]);
  });
  test('the widest text column gives way first; fixed columns never', () => {
    expect(fitWidths([30, 40, 20], ['fixed', 'text', 'text'], 80)).toEqual([30, 30, 20]);
    expect(fitWidths([30, 40, 20], ['fixed', 'text', 'text'], 60)).toEqual([30, 15, 15]);
  });
  test('text goes down to four columns, then two; past that the line is wider than the budget', () => {
    expect(fitWidths([40, 12, 20], ['fixed', 'text', 'text'], 49)).toEqual([40, 4, 5]);
    expect(fitWidths([40, 12, 20], ['fixed', 'text', 'text'], 45)).toEqual([40, 2, 3]);
    expect(fitWidths([40, 12, 20], ['fixed', 'text', 'text'], 30)).toEqual([40, 2, 2]);
  });
});

describe('display width and …', () => {
  test('CJK and emoji count two columns; combining marks none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('👩‍💻ok')).toBe(4);
    expect(displayWidth('é')).toBe(1);
  });
  test('shortening counts display columns and never splits a character', () => {
    expect(truncate('Ingrid Silva', 12)).toBe('Ingrid Silva');
    expect(truncate('Ingrid Silva', 7)).toBe('Ingrid…');
    expect(truncate('日本語のテキスト', 7)).toBe('日本語…');
    expect(displayWidth(truncate('日本語のテキスト', 6))).toBeLessThanOrEqual(6);
    expect(truncate('👩‍💻👩‍💻👩‍💻', 5)).toBe('👩‍💻👩‍💻…');
    expect(truncate('é'.repeat(10), 4)).toBe('éé' + 'é…');
  });
});

describe('drawTable', () => {
  const headers = ['email', 'name', 'status'];
  const rows = [
    ['ingrid.silva0@fabrikam.example.org', 'Ingrid Silva 日本語のテキスト', 'member'],
    ['b@example.org', 'Bjørn', 'contact'],
  ];
  const kinds = ['fixed', 'text', 'fixed'] as const;

  test('no borders; two spaces between columns; no trailing blanks; widths by content', () => {
    expect(drawTable(headers, rows, [...kinds]).split('\n')).toEqual([
      'email                               name                           status',
      'ingrid.silva0@fabrikam.example.org  Ingrid Silva 日本語のテキスト  member',
      'b@example.org                       Bjørn                          contact',
    ]);
  });

  test('fitted to the width by display width; fixed values whole', () => {
    for (const width of [50, 52, 60]) {
      const lines = drawTable(headers, rows, [...kinds], { width }).split('\n');
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
      expect(lines[1]).toContain('ingrid.silva0@fabrikam.example.org');
      expect(lines[1]).toContain('…');
      expect(lines[2]).toContain('contact');
    }
  });

  test('when fixed columns alone do not fit, each row is a block of header  value lines', () => {
    const out = drawTable(headers, rows, [...kinds], { width: 40 });
    expect(out.split('\n\n')).toHaveLength(2);
    expect(out.split('\n')[0]).toBe('email   ingrid.silva0@fabrikam.example.org');
    for (const l of out.split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(42);
  });

  test('styles are applied after layout, so escape codes never count as width', () => {
    const bold = (t: string) => `\x1b[1m${t}\x1b[22m`;
    const lines = drawTable(headers, rows, [...kinds], { width: 50, header: bold }).split('\n');
    expect(lines[0]).toMatch(/^\x1b\[1memail\x1b\[22m {30}/);
  });
});

describe('columns and times in terminal views', () => {
  test('free-text headers are text unless a column says otherwise', () => {
    expect(columnKind({ header: 'name', value: () => '' })).toBe('text');
    expect(columnKind({ header: 'email', value: () => '' })).toBe('fixed');
    expect(columnKind({ header: 'name', kind: 'fixed', value: () => '' })).toBe('fixed');
  });
  test('UTC times become local (TZ) and short, or relative within a day; dates stay', () => {
    const now = '2026-12-02T14:00:00.000Z';
    expect(humanTimes('2026-12-02T12:21:55.413Z', now, 'Europe/Berlin')).toBe('1 hour ago');
    expect(humanTimes('2026-11-02T12:21:55.413Z', now, 'Europe/Berlin')).toBe('2026-11-02 13:21');
    expect(humanTimes('2026-07-02T12:21:55.413Z', now, 'Europe/Berlin')).toBe('2026-07-02 14:21');
    expect(humanTimes('2026-07-02T12:21:55.413Z', now, 'UTC')).toBe('2026-07-02 12:21');
    expect(humanTimes('sent at 2026-12-02T13:55:00.000Z by mail', now, 'UTC')).toBe('sent at 5 minutes ago by mail');
    expect(humanTimes('2026-12-02', now, 'UTC')).toBe('2026-12-02');
  });
});

describe('renderList', () => {
  type Row = { id: number; name: string | null };
  const columns: Column<Row>[] = [{ header: 'id', value: (r) => r.id }, { header: 'name', value: (r) => r.name }];
  // 2,500 records (more than the 1,000 a page a list in memory is written in), with tabs, quotes and line ends.
  const records: Row[] = Array.from({ length: 2500 }, (_, i) => ({ id: i, name: i % 7 === 0 ? null : `n\t"${i}"\r\n,\\` }));

  /** What renderList prints off a terminal, and the count it returns. */
  async function printed(format: ListFormat, rows: Parameters<typeof renderList<Row>>[3]): Promise<[string, number]> {
    let text = '';
    const streams = { stdin: Readable.from([]), stdout: process.stdout, stderr: process.stderr, env: {}, writeStdout: async (t: string) => void (text += t) };
    const n = await renderList(new Output(streams), format, columns, rows);
    return [text, n];
  }

  test.each(['tsv', 'csv', 'json', 'ndjson'] as const)('%s: a list, rows streamed one by one and pages of them print the same text', async (format) => {
    const list = await printed(format, records);
    const streamed = await printed(format, (async function* () { yield* records; })());
    const pages = await printed(format, { pages: (async function* () { for (let i = 0; i < records.length; i += 333) yield records.slice(i, i + 333); })() });
    expect(list[1]).toBe(2500);
    expect(streamed).toEqual(list);
    expect(pages).toEqual(list);
    if (format === 'json') expect(JSON.parse(list[0])).toEqual(records);
    if (format === 'ndjson') expect(list[0].trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(records);
    if (format === 'tsv') expect(list[0].split('\n').length).toBe(2502);
  });

  test.each([
    ['tsv', 'id\tname\n0\t\n1\tn\\t"1"\\r\\n,\\\\\n'],
    ['csv', 'id,name\r\n0,\r\n1,"n\t""1""\r\n,\\"\r\n'],
    ['json', '[\n{"id":0,"name":null},\n{"id":1,"name":"n\\t\\"1\\"\\r\\n,\\\\"}\n]\n'],
    ['ndjson', '{"id":0,"name":null}\n{"id":1,"name":"n\\t\\"1\\"\\r\\n,\\\\"}\n'],
  ] as const)('%s: two records, exactly', async (format, text) => {
    expect(await printed(format, { pages: (async function* () { yield records.slice(0, 1); yield records.slice(1, 2); })() })).toEqual([text, 2]);
  });

  test('on a terminal, tsv cells lose their escape sequences', async () => {
    let text = '';
    const stdout = Object.assign(new Writable({ write: (chunk, _e, done) => done(void (text += chunk)) }), { isTTY: true });
    const out = new Output({ stdin: Readable.from([]), stdout, stderr: process.stderr, env: {} }, { pager: false });
    await renderList(out, 'tsv', columns, [{ id: 1, name: 'red \x1b[31mtext\x1b[0m' }]);
    expect(text.startsWith('id\tname\n1\tred ')).toBe(true);
    expect(text).not.toContain('\x1b');
  });

  test('no records: JSON is an empty array, TSV and CSV their header, NDJSON nothing', async () => {
    const none = { pages: (async function* () {})() };
    expect(await printed('json', none)).toEqual(['[]\n', 0]);
    expect(await printed('tsv', [])).toEqual(['id\tname\n', 0]);
    expect(await printed('csv', none)).toEqual(['id,name\r\n', 0]);
    expect(await printed('ndjson', none)).toEqual(['', 0]);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { importPeople } from '../../src/domain/member/member.import.js';
import { boundCsvRecords } from '../../src/io/input/csv.js';
import { MAX_RECORD_BYTES } from '../../src/io/input/record.js';
import type { InputProblem } from '../../src/errors.js';
import type { Db } from '../../src/db/connection.js';
import { freshDb, stampAt, rows } from '../helpers/db.js';
import { runCli } from '../helpers/cli.js';

/*
 * Hostile input, case by case (SPEC §4 errors and atomicity, §5 import formats): NUL bytes,
 * invalid UTF-8 wherever the read chunks fall, a BOM, CRLF and lone CR line ends, lone
 * surrogates, 1 MiB records, and the exact export of formula-like, SQL-looking and
 * terminal-escape names. The generated round trip is in property.test.ts.
 */

/** An input as the import reads it, in the given chunks (a file arrives in 64 KiB reads). */
const input = (name: string, chunks: Array<string | Buffer>) => ({ name, stream: Readable.from(chunks.map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(c)))), isPipe: false });

const count = async (db: Db, table: string) => Number((await rows<{ n: number }>(db, `select count(*) as n from ${table}`))[0]!.n);

/** Imports without --skip-invalid: the problems reported (line, field) and the error's message. */
async function attempt(name: string, chunks: Array<string | Buffer>) {
  const { db } = await freshDb();
  const problems: InputProblem[] = [];
  const message = await importPeople(db, stampAt(), input(name, chunks), {}, { onProblem: (p) => problems.push(p) }).then(
    () => '',
    (e: Error) => e.message,
  );
  const people = await count(db, 'person');
  await db.close();
  return { message, problems: problems.map((p) => [p.line, p.field ?? null]), people };
}

describe('NUL bytes (SPEC §4: a bad row names its line and field; nothing is written)', () => {
  const fields = ['name', 'email', 'organization', 'status', 'newsletter'] as const;
  const good = { name: 'Ada', email: 'ada@example.org', organization: 'Org', status: 'member', newsletter: 'yes' };
  const withNul = (f: string) => ({ ...good, [f]: f === 'email' ? 'a\0da@example.org' : `${good[f as keyof typeof good]}\0x`, email: f === 'email' ? 'a\0da@example.org' : `${f}@example.org` });

  test('a raw NUL byte in any CSV cell is a bad row at its line, naming that field', async () => {
    const csv = 'name,email,organization,status,newsletter\n' + fields.map((f) => Object.values(withNul(f)).join(',') + '\n').join('');
    expect(Buffer.from(csv).includes(0)).toBe(true);
    expect(await attempt('nul.csv', [csv])).toEqual({ message: expect.stringMatching(/5 rows of nul\.csv could not be imported; nothing was written/), problems: fields.map((f, i) => [i + 2, f]), people: 0 });
  });

  test('an escaped NUL (\\u0000) in any NDJSON value is a bad row naming that field; a raw NUL byte makes the line bad JSON', async () => {
    const nd = fields.map((f) => JSON.stringify(withNul(f)) + '\n').join('') + '{"name":"A\0B","email":"raw@example.org"}\n';
    expect(await attempt('nul.ndjson', [nd])).toEqual({ message: expect.stringMatching(/nothing was written/), problems: [...fields.map((f, i) => [i + 1, f]), [6, null]], people: 0 });
  });
});

describe('line ends and the BOM (SPEC §5: UTF-8, a BOM is accepted)', () => {
  test('CRLF, LF and lone CR line ends number CSV lines alike; a BOM split across reads is still a BOM', async () => {
    for (const end of ['\r\n', '\n', '\r']) {
      const csv = ['name,email', 'A,a@example.org', '', 'B,not-an-address', '"C, c",c@example.org', 'D,d@'].join(end) + end;
      const bytes = Buffer.from('\uFEFF' + csv);
      expect(await attempt('ends.csv', [bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3)])).toEqual({ message: expect.stringMatching(/2 rows/), problems: [[4, 'email'], [6, 'email']], people: 0 });
    }
  });

  test('a lone CR inside a quoted CSV field, or as JSON whitespace inside an NDJSON line, is part of the row', async () => {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('cr.csv', ['name,email,newsletter\n"Line\rBreak",l@example.org,yes\n']), {});
    await importPeople(db, stampAt(), input('cr.ndjson', ['{"name":"Lone",\r"email":"lone@example.org",\r"newsletter":true}\r\n']), {});
    expect(await rows(db, 'select name, email from person order by id')).toEqual([
      { name: 'Line\rBreak', email: 'l@example.org' },
      { name: 'Lone', email: 'lone@example.org' },
    ]);
  });

  test('a quoted CSV field holding a CRLF is one line break: the rows after it keep their line numbers', async () => {
    // Lines: 1 header; 2-3 the record with "crlf<CRLF>here"; 4 the bad row.
    for (const end of ['\r\n', '\n']) {
      const csv = `name,email${end}"crlf\r\nhere",a@example.org${end}B,not-an-address${end}`;
      expect(await attempt('crlf.csv', [csv])).toMatchObject({ problems: [[4, 'email']], people: 0 });
    }
  });
});

describe('invalid UTF-8 stops the import at its line, wherever the reads split the file (SPEC §4, §5)', () => {
  /** A file whose line `bad` (1-based) holds a byte sequence that is not UTF-8; the other lines hold multi-byte characters. */
  const file = (kind: 'csv' | 'ndjson', lines: number, bad: number, junk: number[], end: string) => {
    const parts: Buffer[] = [];
    if (kind === 'csv') parts.push(Buffer.from('name,email' + end));
    for (let i = kind === 'csv' ? 2 : 1; i <= lines; i++) {
      const name = i === bad ? Buffer.concat([Buffer.from('Bé'), Buffer.from(junk), Buffer.from('ü')]) : Buffer.from(`Zoë ${'中'.repeat(i % 4)} 😀`);
      const email = Buffer.from(`p${i}@example.org`);
      parts.push(kind === 'csv' ? Buffer.concat([name, Buffer.from(','), email]) : Buffer.concat([Buffer.from('{"name":"'), name, Buffer.from('","email":"'), email, Buffer.from('"}')]));
      parts.push(Buffer.from(end));
    }
    return Buffer.concat(parts);
  };
  const junk = fc.constantFrom([0xff], [0xfe, 0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80]);
  const split = (buf: Buffer, cuts: number[]) => {
    const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
    return [...at, buf.length].map((c, i) => buf.subarray(i ? at[i - 1]! : 0, c)).filter((b) => b.length);
  };

  test('read in one piece: the line is named, nothing is written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'csv' | 'ndjson'>('csv', 'ndjson'), fc.integer({ min: 2, max: 8 }), fc.nat(), junk, fc.constantFrom('\n', '\r\n'), async (kind, lines, b, j, end) => {
        const bad = 2 + (b % (lines - 1));
        const r = await attempt(`u.${kind}`, [file(kind, lines, bad, j, end)]);
        expect(r.message).toMatch(new RegExp(`^u\\.${kind}:${bad}: not valid UTF-8`));
        expect(r.people).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  test('read in arbitrary pieces (a character or a bad sequence may straddle two reads): the same line is named', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'csv' | 'ndjson'>('csv', 'ndjson'), fc.integer({ min: 2, max: 8 }), fc.nat(), junk, fc.constantFrom('\n', '\r\n'), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), async (kind, lines, b, j, end, cuts) => {
        const bad = 2 + (b % (lines - 1));
        const r = await attempt(`u.${kind}`, split(file(kind, lines, bad, j, end), cuts));
        expect(r.message).toMatch(new RegExp(`^u\\.${kind}:${bad}: not valid UTF-8`));
        expect(r.people).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  test('in a CSV with lone CR line ends the line is counted as the rows are', async () => {
    const r = await attempt('cr.csv', [Buffer.concat([Buffer.from('name,email\rA,a@example.org\rB,bad\rC'), Buffer.from([0xff]), Buffer.from(',c@example.org\r')])]);
    expect(r.message).toMatch(/^cr\.csv:4: not valid UTF-8/);
  });

  test('a character cut off at the end of the file names the last line', async () => {
    const r = await attempt('t.csv', [Buffer.concat([Buffer.from('name,email\nA,a@example.org\nB,b@example.org'), Buffer.from([0xe2, 0x82])])]);
    expect(r.message).toMatch(/^t\.csv:3: not valid UTF-8/);
    expect(r.people).toBe(0);
  });
});

describe('lone surrogates: text that is not Unicode is refused, never stored as something else', () => {
  test.each(['name', 'email', 'organization'])('an NDJSON %s holding a lone surrogate escape is a bad row at its line naming the field', async (field) => {
    const row = { name: 'A', email: 'a@example.org', organization: 'Org', newsletter: true, [field]: field === 'email' ? 'a\ud800@example.org' : 'A\ud800B' };
    const nd = '{"name":"Z","email":"z@example.org"}\n' + JSON.stringify(row) + '\n';
    expect(nd).toContain('\\ud800');
    expect(await attempt('s.ndjson', [nd])).toEqual({ message: expect.stringMatching(/nothing was written/), problems: [[2, field]], people: 0 });
  });
});

describe('1 MiB records: a bad row at its line, the rows after it still read (MAX_RECORD_BYTES)', () => {
  /** A members file through the CLI, read from disk in 64 KiB chunks as in production; the big row's name fills it to `bytes`. */
  async function importBig(kind: 'csv' | 'ndjson', bytes: number, skip: boolean) {
    const { path, dir } = await freshDb();
    const head = kind === 'csv' ? 'name,email,newsletter\n' : '';
    const row = (name: string, email: string) => (kind === 'csv' ? `${name},${email},yes` : JSON.stringify({ name, email, newsletter: 'yes' }));
    const shell = row('', 'big@example.org');
    const big = row('x'.repeat(bytes - shell.length), 'big@example.org');
    expect(Buffer.byteLength(big)).toBe(bytes);
    const file = join(dir, `big.${kind}`);
    writeFileSync(file, head + [row('First', 'first@example.org'), big, row('Bad', 'not-an-address'), row('Last', 'last@example.org')].join('\n') + '\n');
    const first = kind === 'csv' ? 2 : 1;
    const imp = await runCli(['--db', path, 'member', 'import', file, ...(skip ? ['--skip-invalid'] : [])]);
    const exp = await runCli(['--db', path, 'newsletter', 'export', '--format', 'rfc5322']);
    return { imp, exported: exp.stdout, first, file };
  }

  test.each(['csv', 'ndjson'] as const)('%s: a record of exactly the limit (line end aside) is read; its 1 MB name is too long at its line', async (kind) => {
    const { imp, exported, first, file } = await importBig(kind, MAX_RECORD_BYTES, false);
    expect(imp.code).toBe(4);
    expect(imp.stderr).toContain(`${file}:${first + 1}: name: longer than 300 characters`);
    expect(imp.stderr).toContain(`${file}:${first + 2}: email:`);
    expect(exported).toBe('');
  });

  const where = (file: string, line: number) => `${file.replace(/[.\\/]/g, '\\$&')}:${line}: [^\\n]*`;

  test.each(['csv', 'ndjson'] as const)('%s: a record one byte over the limit is reported as too long, at its line', async (kind) => {
    const { imp, first, file } = await importBig(kind, MAX_RECORD_BYTES + 1, false);
    expect(imp.code).toBe(4);
    expect(imp.stderr).toMatch(new RegExp(where(file, first + 1) + `longer than ${MAX_RECORD_BYTES} bytes`));
    expect(imp.stderr).toContain(`${file}:${first + 2}: email:`);
  });

  test('csv: records within the limit pass the record bound unchanged, however the reads split them', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('"', '""', '\r', '\n', '\r\n', ','));
    const quotedCell = cell.map((c) => `"${c.replace(/"/g, '""')}"`);
    const line = fc.array(fc.oneof(fc.string({ maxLength: 8 }).map((c) => c.replace(/["\r\n]/g, '')), quotedCell), { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.nat(), { maxLength: 6 }), async (lines, end, cuts) => {
        const text = lines.join(end) + end;
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [...at, text.length].map((c, i) => text.slice(i ? at[i - 1]! : 0, c)).filter(Boolean);
        let out = '';
        for await (const t of boundCsvRecords(Readable.from(pieces))) out += t;
        expect(out).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  test('csv: an over-long quoted record spanning lines, read in any pieces, is one bad row at its last line; the lines after it keep their numbers', async () => {
    const long = 'x'.repeat(MAX_RECORD_BYTES);
    // Line 2 good; lines 3-6 one quoted record (CRLF, LF and CR inside, "" escapes); line 7 bad; line 8 good.
    const text = `name,email\r\nA,a@example.org\r\n"${long}\r\n""q""\n${long}\r${long}",l@example.org\r\nB,not-an-address\r\nC,c@example.org\r\n`;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 5 }), async (cuts) => {
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [...at, text.length].map((c, i) => text.slice(i ? at[i - 1]! : 0, c)).filter(Boolean);
        const r = await attempt('long.csv', pieces);
        expect(r).toEqual({ message: expect.stringMatching(/nothing was written/), problems: [[6, null], [7, 'email']], people: 0 });
      }),
      { numRuns: 8 },
    );
  });

  test.each(['csv', 'ndjson'] as const)('%s: a 3 MiB record is a bad row at its line; the next bad row is reported too; --skip-invalid keeps the good ones', async (kind) => {
    const { imp, first, file } = await importBig(kind, 3 * MAX_RECORD_BYTES, false);
    expect(imp.code).toBe(4);
    expect(imp.stderr).toMatch(new RegExp(where(file, first + 1) + 'longer than'));
    expect(imp.stderr).toContain(`${file}:${first + 2}: email:`);
    const skipped = await importBig(kind, 3 * MAX_RECORD_BYTES, true);
    expect(skipped.imp.code).toBe(0);
    expect(skipped.exported).toBe('"First" <first@example.org>\n"Last" <last@example.org>\n');
  });
});

describe('malformed quotes stop the import at their line, however much follows them (SPEC §4)', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `p${i}@example.org,Person ${i}\n`).join('');
  /** Without and with --skip-invalid: the error's message, and how many people were written. */
  async function both(text: string) {
    const results = [];
    for (const skipInvalid of [false, true]) {
      const { db } = await freshDb();
      const message = await importPeople(db, stampAt(), input('q.csv', [text]), { skipInvalid }).then(
        () => '',
        (e: Error) => e.message,
      );
      results.push({ message, people: await count(db, 'person') });
      await db.close();
    }
    return results;
  }

  test.each([10, 40000])('a quote inside an unquoted field, %i rows after it: malformed at line 2, nothing written', async (n) => {
    const r = await both('email,name\nobrien@example.org,Pat O"Brien\n' + rows(n));
    for (const x of r) expect(x).toEqual({ message: expect.stringMatching(/^q\.csv:2: malformed CSV \(Invalid Opening Quote/), people: 0 });
  });

  test.each([10, 40000])('a quote never closed, %i rows after it: malformed (quote not closed), nothing written', async (n) => {
    const r = await both('email,name\nsmith@example.org,"Smith, John\n' + rows(n));
    for (const x of r) expect(x).toEqual({ message: expect.stringMatching(/malformed CSV \(Quote Not Closed/), people: 0 });
  });

  test('a CRLF ending one row of a file of LF rows is one line end', async () => {
    expect(await attempt('m.csv', ['email,name\na@example.org,A\r\nb@example.org,B\nc@example.org,C\nbad,D\n'])).toMatchObject({ problems: [[5, 'email']], people: 0 });
  });
});

describe('hostile names, exported exactly (SPEC §4: RFC 4180 CSV with formula cells neutralised; stable JSON)', () => {
  test('formula-like, SQL-looking and terminal-escape names through the CLI, csv, json and rfc5322', async () => {
    const { path, dir } = await freshDb();
    const file = join(dir, 'hostile.csv');
    writeFileSync(
      file,
      '\uFEFFname,email,status\r\n' +
        '"=HYPERLINK(""http://x.test"",""y"")",=1@example.org,member\r\n' +
        "  +SUM(A1) ,-x@example.org,member\r\n" +
        '@cmd,o\'brien@example.org,member\r\n' +
        "Robert'); DROP TABLE person;--,bobby@example.com,member\r\n" +
        '"\x1b[31mRed\x1b[0m",red@example.test,member\r\n' +
        '"Two\r\nLines",two@example.org,member\r\n',
    );
    expect((await runCli(['--db', path, 'member', 'import', file])).code).toBe(0);
    const out = async (format: string) => (await runCli(['--db', path, 'newsletter', 'export', '--format', format])).stdout;
    expect(await out('csv')).toBe(
      'name,email\r\n' +
        `"'=HYPERLINK(""http://x.test"",""y"")",'=1@example.org\r\n` +
        "'+SUM(A1),'-x@example.org\r\n" +
        "'@cmd,o'brien@example.org\r\n" +
        "Robert'); DROP TABLE person;--,bobby@example.com\r\n" +
        '\x1b[31mRed\x1b[0m,red@example.test\r\n' +
        '"Two\r\nLines",two@example.org\r\n',
    );
    expect(await out('json')).toBe(
      '[\n' +
        '{"name":"=HYPERLINK(\\"http://x.test\\",\\"y\\")","email":"=1@example.org"},\n' +
        '{"name":"+SUM(A1)","email":"-x@example.org"},\n' +
        '{"name":"@cmd","email":"o\'brien@example.org"},\n' +
        '{"name":"Robert\'); DROP TABLE person;--","email":"bobby@example.com"},\n' +
        '{"name":"\\u001b[31mRed\\u001b[0m","email":"red@example.test"},\n' +
        '{"name":"Two\\r\\nLines","email":"two@example.org"}\n' +
        ']\n',
    );
    expect(await out('rfc5322')).toBe(
      '"=HYPERLINK(\\"http://x.test\\",\\"y\\")" <=1@example.org>\n' +
        '"+SUM(A1)" <-x@example.org>\n' +
        '"@cmd" <o\'brien@example.org>\n' +
        '"Robert\'); DROP TABLE person;--" <bobby@example.com>\n' +
        '=?UTF-8?B?G1szMW1SZWQbWzBt?= <red@example.test>\n' +
        '=?UTF-8?B?VHdvDQpMaW5lcw==?= <two@example.org>\n',
    );
  });
});

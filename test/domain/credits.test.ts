import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { recordConsent } from '../../src/domain/consent/consent.service.js';
import { creditList, exportCredits } from '../../src/domain/credits/credits.service.js';
import { renderCredits } from '../../src/domain/credits/credits.render.js';
import { addDocument, overrideParticipant, releaseDocument, scheduleDocument } from '../../src/domain/document/document.service.js';
import { documentParticipants } from '../../src/domain/document/document.participants.js';
import { logActivity } from '../../src/domain/activity/activity.service.js';
import { addPerson, updatePerson } from '../../src/domain/member/member.service.js';
import { setSetting } from '../../src/domain/settings/settings.service.js';
import { recordNotices } from '../../src/domain/notice/notice.service.js';
import type { Db } from '../../src/db/connection.js';
import { ConflictError, PolicyError } from '../../src/errors.js';
import { storedNaughtyStrings } from '../helpers/naughty.js';
import { freshDb, stampAt, rows, runSql, rejection } from '../helpers/db.js';
import { listItemFault, oneLine, shownText } from '../helpers/markdown.js';

const T0 = '2026-03-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

async function member(db: Db, name: string, email: string, org?: string) {
  await addPerson(db, stampAt(T0), { name, email, status: 'member', org });
}

let minute = 0;
async function work(db: Db, email: string, n: number, doc = 'spec') {
  // Distinct times: the same member, time, action and document is one event.
  for (let i = 0; i < n; i++) await logActivity(db, stampAt(at(100_000)), { email, action: 'edit', document: doc, at: at(++minute) });
}

async function setup() {
  const { db } = await freshDb();
  await addDocument(db, stampAt(T0), { slug: 'spec', title: 'The Spec', releaseOn: '2026-06-30' });
  return db;
}

const credited = async (db: Db, slug = 'spec') => (await creditList(db, slug)).credits.map((c) => c.email);

describe('P5: activity is recorded for members only', () => {
  test('a contact or a former member is refused, naming P5', async () => {
    const db = await setup();
    await addPerson(db, stampAt(T0), { name: 'Carl', email: 'carl@example.org' });
    await member(db, 'Fay', 'fay@example.org');
    await updatePerson(db, stampAt(T0), 'fay@example.org', { status: 'former' });
    for (const email of ['carl@example.org', 'fay@example.org']) {
      const err = await logActivity(db, stampAt(at(1)), { email, action: 'edit' }).catch((e) => e);
      expect(err).toBeInstanceOf(PolicyError);
      expect(err.message).toMatch(/P5/);
    }
    expect(Number((await rows<{ n: number }>(db, 'select count(*) as n from activity'))[0]!.n)).toBe(0);
  });
});

describe('P8: credits only with approval', () => {
  test('threshold edges: below the threshold is no participant; at it, one', async () => {
    const db = await setup();
    await member(db, 'Ada', 'ada@example.org');
    await member(db, 'Bo', 'bo@example.org');
    await recordConsent(db, stampAt(at(2)), { email: 'ada@example.org', purpose: 'credit', action: 'grant' });
    await recordConsent(db, stampAt(at(2)), { email: 'bo@example.org', purpose: 'credit', action: 'grant' });
    await work(db, 'ada@example.org', 3);
    await work(db, 'bo@example.org', 2);
    const { people } = await documentParticipants(db.kysely, 'spec', { all: true });
    // The maintained counts agree with the events themselves.
    const counted = await rows(db, 'select person_id, activities from participation order by person_id');
    expect(counted).toEqual(await rows(db, 'select person_id, count(*) as activities from activity group by person_id order by person_id'));
    expect(people.map((p) => [p.email, p.how, p.credited, p.reason])).toEqual([
      ['ada@example.org', 'activity', true, ''],
      ['bo@example.org', 'below threshold', false, '2 of 3 activities needed'],
    ]);
    await setSetting(db, stampAt(at(3)), 'participation-threshold', '2');
    expect(await credited(db)).toEqual(['ada@example.org', 'bo@example.org']);
  });

  test('blanket consent with a per-document withdrawal: not credited; a per-document grant overrides a blanket withdrawal', async () => {
    const db = await setup();
    await member(db, 'Ada', 'ada@example.org');
    await member(db, 'Bo', 'bo@example.org');
    await work(db, 'ada@example.org', 3);
    await work(db, 'bo@example.org', 3);
    await recordConsent(db, stampAt(at(2)), { email: 'ada@example.org', purpose: 'credit', action: 'grant' });
    await recordConsent(db, stampAt(at(3)), { email: 'ada@example.org', purpose: 'credit', action: 'withdraw', document: 'spec' });
    await recordConsent(db, stampAt(at(2)), { email: 'bo@example.org', purpose: 'credit', action: 'withdraw' });
    await recordConsent(db, stampAt(at(3)), { email: 'bo@example.org', purpose: 'credit', action: 'grant', document: 'spec' });
    const { people } = await documentParticipants(db.kysely, 'spec');
    expect(people.map((p) => [p.email, p.consent, p.credited])).toEqual([
      ['ada@example.org', 'per-document withdrawn', false],
      ['bo@example.org', 'per-document', true],
    ]);
    expect(await credited(db)).toEqual(['bo@example.org']);
  });

  test('a removal by hand sticks even when more activity arrives; an addition needs no activity', async () => {
    const db = await setup();
    await member(db, 'Ada', 'ada@example.org');
    await member(db, 'Bo', 'bo@example.org');
    for (const e of ['ada@example.org', 'bo@example.org']) await recordConsent(db, stampAt(at(2)), { email: e, purpose: 'credit', action: 'grant' });
    await work(db, 'ada@example.org', 3);
    await overrideParticipant(db, stampAt(at(3)), 'spec', 'ada@example.org', 'removed');
    await work(db, 'ada@example.org', 10);
    await overrideParticipant(db, stampAt(at(3)), 'spec', 'bo@example.org', 'added');
    const { people } = await documentParticipants(db.kysely, 'spec');
    expect(people.map((p) => [p.email, p.activities, p.how, p.credited])).toEqual([
      ['ada@example.org', 13, 'removed by hand', false],
      ['bo@example.org', 0, 'added by hand', true],
    ]);
  });

  test('release freezes the list: a later withdrawal does not rewrite it; --again is a new edition', async () => {
    const db = await setup();
    await member(db, 'Ada', 'ada@example.org', 'Engines');
    await work(db, 'ada@example.org', 3);
    await recordConsent(db, stampAt(at(2)), { email: 'ada@example.org', purpose: 'credit', action: 'grant' });
    expect(await rejection(releaseDocument(db, stampAt(at(5)), 'spec'))).toMatch(/P9/);
    await recordNotices(db, stampAt(at(4)), { email: 'ada@example.org', document: 'spec' });
    const r = await releaseDocument(db, stampAt(at(5)), 'spec');
    expect(r).toMatchObject({ edition: 1, credited: 1 });
    const facts = await rows(db, "select kind, audience, state, facts, edition from disclosure where kind = 'credit'");
    expect(facts).toEqual([{ kind: 'credit', audience: 'public', state: 'released', edition: 1, facts: JSON.stringify({ name: 'Ada', email: 'ada@example.org', company: 'Engines' }) }]);
    await recordConsent(db, stampAt(at(6)), { email: 'ada@example.org', purpose: 'credit', action: 'withdraw', document: 'spec' });
    expect(await credited(db)).toEqual(['ada@example.org']);
    await expect(releaseDocument(db, stampAt(at(7)), 'spec')).rejects.toBeInstanceOf(ConflictError);
    const again = await releaseDocument(db, stampAt(at(7)), 'spec', { again: true });
    expect(again).toMatchObject({ edition: 2, credited: 0 });
    expect(await credited(db)).toEqual([]);
    expect(await rejection(runSql(db, "update disclosure set facts = '{}'"))).toMatch(/frozen/);
    expect(await rejection(runSql(db, "update disclosure set facts = '{\"erased_sha256\":\"x\"}', audience = 'members'"))).toMatch(/frozen/);
  });

  test('a withdrawal before release is honoured', async () => {
    const db = await setup();
    await member(db, 'Ada', 'ada@example.org');
    await work(db, 'ada@example.org', 3);
    await recordConsent(db, stampAt(at(2)), { email: 'ada@example.org', purpose: 'credit', action: 'grant', document: 'spec' });
    await recordConsent(db, stampAt(at(3)), { email: 'ada@example.org', purpose: 'credit', action: 'withdraw', document: 'spec' });
    expect((await releaseDocument(db, stampAt(at(5)), 'spec')).credited).toBe(0);
  });

  test('wrong transitions are conflicts naming the state', async () => {
    const { db } = await freshDb();
    await addDocument(db, stampAt(T0), { slug: 'draft-doc', title: 'Draft' });
    expect(await rejection(releaseDocument(db, stampAt(at(1)), 'draft-doc'))).toMatch(/is draft/);
    await scheduleDocument(db, stampAt(at(1)), 'draft-doc', '2026-04-01');
    await releaseDocument(db, stampAt(at(2)), 'draft-doc');
    expect(await rejection(releaseDocument(db, stampAt(at(3)), 'draft-doc'))).toMatch(/already released/);
    // Scheduling a released document schedules its next edition.
    expect(await scheduleDocument(db, stampAt(at(3)), 'draft-doc', '2026-05-01')).toMatchObject({ status: 'scheduled', edition: 1 });
    expect(await releaseDocument(db, stampAt(at(4)), 'draft-doc')).toMatchObject({ edition: 2 });
  });
});

describe('credit formats', () => {
  const credits = [
    { name: 'Zoë Ångström', email: 'zoe@example.org', company: 'Lab, "North"' },
    { name: 'adam Smith', email: 'adam@example.org', company: null },
    { name: 'Émile Zola', email: 'emile@example.org', company: 'Les *Éditions*' },
  ];

  test('names are sorted with locale-aware collation, not code points', async () => {
    const db = await setup();
    for (const c of credits) {
      await member(db, c.name, c.email, c.company ?? undefined);
      await work(db, c.email, 3);
      await recordConsent(db, stampAt(at(2)), { email: c.email, purpose: 'credit', action: 'grant' });
    }
    expect((await creditList(db, 'spec')).credits.map((c) => c.name)).toEqual(['adam Smith', 'Émile Zola', 'Zoë Ångström']);
    let text = '';
    const r = await exportCredits(db, stampAt(at(3)), 'spec', 'text', { destination: null, write: async (t) => void (text += t), commit: async () => {}, abort: async () => {} });
    expect(r).toMatchObject({ preview: true, count: 3 });
    expect(text).toBe('adam Smith <adam@example.org>\nÉmile Zola, Les *Éditions* <emile@example.org>\nZoë Ångström, Lab, "North" <zoe@example.org>\n');
  });

  test('csv reads back with csv-parse', () => {
    expect(parseCsv(renderCredits('csv', 'T', credits))).toEqual([['name', 'email', 'company'], ...credits.map((c) => [c.name, c.email, c.company ?? ''])]);
  });

  test('cff is valid YAML with the CITATION.cff authors fields', () => {
    const doc = parseYaml(renderCredits('cff', 'The "Spec": 1.0', credits));
    expect(doc['cff-version']).toBe('1.2.0');
    expect(doc.title).toBe('The "Spec": 1.0');
    expect(doc.authors).toEqual([
      { 'family-names': 'Ångström', 'given-names': 'Zoë', email: 'zoe@example.org', affiliation: 'Lab, "North"' },
      { 'family-names': 'Smith', 'given-names': 'adam', email: 'adam@example.org' },
      { 'family-names': 'Zola', 'given-names': 'Émile', email: 'emile@example.org', affiliation: 'Les *Éditions*' },
    ]);
    expect(parseYaml(renderCredits('cff', 'Empty', [])).authors).toEqual([]);
  });

  test('markdown escapes what would format', () => {
    const md = renderCredits('markdown', 'A *bold* title', credits);
    expect(md).toContain('## Acknowledgements');
    expect(md).toContain('*A \\*bold\\* title*');
    expect(md).toContain('- Émile Zola, Les \\*Éditions\\* <emile@example.org>');
  });

  /** The markdown credits' person lines: each `- ` item after the introduction. */
  const items = (md: string) => md.split('\n').slice(4).filter((l) => l !== '');

  test('P8: names, companies and titles that look like Markdown are credited as literal text, one list item each', () => {
    const cases: Array<[credit: { name: string; company: string | null; email: string }, line: string]> = [
      // As the tester found them in the announcement: a heading, a nested bullet list, a nested ordered list.
      [{ name: '# Big heading', company: null, email: 'h@x.org' }, '- \\# Big heading <h@x.org>'],
      [{ name: '- =cmd', company: '1. Numbered Ltd', email: 'b@x.org' }, '- \\- =cmd, 1\\. Numbered Ltd <b@x.org>'],
      [{ name: '1. Numbered', company: '> Quote Inc', email: 'n@x.org' }, '- 1\\. Numbered, \\> Quote Inc <n@x.org>'],
      [{ name: '3) Third', company: '## Sub', email: 't@x.org' }, '- 3\\) Third, \\## Sub <t@x.org>'],
      [{ name: '+ Plus', company: '* Star', email: 'p@x.org' }, '- \\+ Plus, \\* Star <p@x.org>'],
      [{ name: '=SUM(A1)', company: '~~~', email: 'e@x.org' }, '- \\=SUM(A1), \\~\\~\\~ <e@x.org>'],
      [{ name: '```', company: '| T | able |', email: 'f@x.org' }, '- \\`\\`\\`, \\| T \\| able \\| <f@x.org>'],
      [{ name: '<img src=x onerror=alert(1)>', company: '[Click](https://e.example)', email: 'i@x.org' }, '- \\<img src=x onerror=alert(1)\\>, \\[Click\\](https://e.example) <i@x.org>'],
      [{ name: '![x](y) &copy; &#169; M&S', company: '$E=mc^2$', email: 'c@x.org' }, '- !\\[x\\](y) \\&copy; \\&#169; M&S, \\$E=mc^2\\$ <c@x.org>'],
      [{ name: '__Ann__ \\ Lee\\', company: null, email: 'a@x.org' }, '- \\_\\_Ann\\_\\_ \\\\ Lee\\\\ <a@x.org>'],
      // Line breaks and indentation, even if cleaning let them through, never end or indent the item.
      [{ name: '    Indented\ncode', company: 'Line\r\n# two\u2028three ', email: 'l@x.org' }, '- Indented code, Line # two three <l@x.org>'],
      // An address CommonMark would not make an autolink of is shown as literal text.
      [{ name: 'Zoë', company: null, email: 'zoë*x*@example.org' }, '- Zoë \\<zoë\\*x\\*@example.org\\>'],
      [{ name: 'Ob', company: null, email: "o'b+x_y@example.org" }, "- Ob <o'b+x_y@example.org>"],
    ];
    const md = renderCredits('markdown', '# The *Spec* | 1. draft', cases.map(([c]) => c));
    expect(md.split('\n').slice(0, 4)).toEqual(['## Acknowledgements', '', 'The following people contributed to *\\# The \\*Spec\\* \\| 1. draft* and agreed to be credited:', '']);
    expect(items(md)).toEqual(cases.map(([, line]) => line));
    for (const [, line] of cases) expect([line, listItemFault(line.slice(0, line.lastIndexOf(' ')))]).toEqual([line, null]);
  });

  test('P8: every string of the big list of naughty strings, as a name, a company or the title, is credited as literal text, one list item each', () => {
    // As cleaning stores them: what it refuses never reaches a credit list.
    const clean = storedNaughtyStrings();
    const credits = clean.flatMap((s, i) => [
      { name: s, email: `n${i}@example.org`, company: null },
      { name: `Person ${i}`, email: `c${i}@example.org`, company: s },
    ]);
    for (const title of clean) {
      const md = renderCredits('markdown', title, credits.slice(0, 2));
      const intro = md.split('\n')[2]!;
      expect(intro.startsWith('The following people contributed to *') && intro.endsWith('* and agreed to be credited:')).toBe(true);
      const shown = intro.slice('The following people contributed to *'.length, -'* and agreed to be credited:'.length);
      expect([title, listItemFault(`- ${shown}`)]).toEqual([title, null]);
      expect(shownText(shown)).toBe(oneLine(title));
    }
    const lines = items(renderCredits('markdown', 'T', credits));
    expect(lines).toHaveLength(credits.length);
    lines.forEach((line, i) => {
      const { name, email, company } = credits[i]!;
      expect(line.endsWith(` <${email}>`)).toBe(true);
      const text = line.slice(0, -` <${email}>`.length);
      expect([name, company, listItemFault(text)]).toEqual([name, company, null]);
      expect(shownText(text.slice(2))).toBe(company ? `${name}, ${oneLine(company)}` : oneLine(name));
    });
  });
});

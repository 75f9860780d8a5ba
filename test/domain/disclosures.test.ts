import { logActivity } from '../../src/domain/activity/activity.service.js';
import { recordConsent } from '../../src/domain/consent/consent.service.js';
import { planMembership, refreshDisclosures } from '../../src/domain/disclosure/disclosure.service.js';
import { checkDisclosures, PROBLEM_CODES } from '../../src/domain/disclosure/disclosure.check.js';
import { tellEveryonePending } from '../../src/domain/demo/demo.notices.js';
import { addDocument, releaseDocument } from '../../src/domain/document/document.service.js';
import { addPerson, updatePerson } from '../../src/domain/member/member.service.js';
import { recordNotices } from '../../src/domain/notice/notice.service.js';
import { pendingNotices } from '../../src/domain/notice/notice.repo.js';
import { addOrg, updateOrg } from '../../src/domain/org/org.service.js';
import type { Db } from '../../src/db/connection.js';
import { wordError } from '../../src/cli/reasons.js';
import { PolicyError, UsageError } from '../../src/errors.js';
import { inTransaction } from '../../src/db/transaction.js';
import { checkRowPages, type CheckRow } from '../../src/domain/disclosure/disclosure.repo.js';
import { freshDb, stampAt, rows } from '../helpers/db.js';
import { storedNaughtyStrings } from '../helpers/naughty.js';

const DAY0 = '2026-03-01T10:00:00.000Z';
const day = (n: number) => new Date(Date.parse(DAY0) + n * 86_400_000).toISOString();

async function check(db: Db, today: string) {
  await refreshDisclosures(db, stampAt(today));
  return checkDisclosures(db, today.slice(0, 10));
}

/** A fixture that produces every problem code of disclosures check. */
async function everyProblem() {
  const { db } = await freshDb();
  const s = stampAt(DAY0);
  // An organisation joins without a contact person (org-has-no-contact), another with one who is not told.
  await addOrg(db, s, { name: 'Lonely Org', member: true });
  await addPerson(db, s, { name: 'Cleo Contact', email: 'cleo@example.org', org: 'Told Org', status: 'member' });
  await updateOrg(db, s, 'Told Org', { member: true, contact: 'cleo@example.org' });
  // A document due in 10 days with participants in every state.
  await addDocument(db, s, { slug: 'soon', title: 'Soon', releaseOn: day(10).slice(0, 10) });
  for (const [name, email] of [['Ann', 'ann@example.org'], ['Ben', 'ben@example.org'], ['Cy', 'cy@example.org'], ['Di', 'di@example.org']]) {
    await addPerson(db, s, { name: name!, email: email!, status: 'member' });
    for (let i = 0; i < 3; i++) await logActivity(db, stampAt(day(0)), { email: email!, action: `edit-${i}`, document: 'soon' });
  }
  await recordConsent(db, s, { email: 'ann@example.org', purpose: 'credit', action: 'grant' }); // never told
  await recordConsent(db, s, { email: 'ben@example.org', purpose: 'credit', action: 'grant' }); // told too late
  await recordConsent(db, s, { email: 'cy@example.org', purpose: 'credit', action: 'grant' }); // told, then withdrew
  // di@ gives no consent (participant-without-consent).
  await recordNotices(db, stampAt(day(1)), { email: 'cy@example.org', document: 'soon' });
  await recordConsent(db, stampAt(day(2)), { email: 'cy@example.org', purpose: 'credit', action: 'withdraw', document: 'soon' });
  await recordNotices(db, stampAt(day(3)), { email: 'ben@example.org', document: 'soon' });
  return db;
}

describe('P9: disclosures check', () => {
  test('every problem code, from one fixture, in stable JSON', async () => {
    const db = await everyProblem();
    const r = await check(db, day(3));
    expect(r).toMatchObject({ within: 14, noticeDays: 14, through: day(17).slice(0, 10) });
    const codes = new Set(r.problems.map((p) => p.code));
    // A notice that failed or may not have arrived needs mail sent: test/e2e/send.e2e.test.ts has those.
    expect([...codes].sort()).toEqual(PROBLEM_CODES.filter((c) => c !== 'notice-failed' && c !== 'notice-uncertain').sort());
    const find = (code: string, subject: string | null) => r.problems.find((p) => p.code === code && p.subject === subject);
    expect(find('subject-not-informed', 'ann@example.org')).toMatchObject({ kind: 'credit', document: 'soon', due_on: day(10).slice(0, 10) });
    expect(find('notice-too-late', 'ben@example.org')!.message).toMatch(/told on 2026-03-04, fewer than 14 days/);
    expect(find('participant-without-consent', 'di@example.org')).toMatchObject({ document: 'soon', disclosure: null });
    expect(find('consent-withdrawn-after-notice', 'cy@example.org')).toMatchObject({ document: 'soon' });
    expect(find('org-has-no-contact', null)).toMatchObject({ organisation: 'Lonely Org', kind: 'announcement' });
    expect(r.problems.find((p) => p.code === 'org-contact-not-informed')).toMatchObject({ organisation: 'Told Org' });
  });

  test('clean when everyone concerned was told in time; a window excludes what is later', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(DAY0), { name: 'Ann', email: 'ann@example.org', status: 'member' });
    expect((await check(db, DAY0)).problems.map((p) => p.code)).toEqual(['subject-not-informed']);
    expect((await checkDisclosures(db, DAY0.slice(0, 10), 3)).problems).toEqual([]);
    await tellEveryonePending(db, stampAt(DAY0));
    expect((await check(db, DAY0)).problems).toEqual([]);
  });

  test('the organisation-level notice goes to the contact person', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(DAY0), { name: 'Cleo', email: 'cleo@example.org', org: 'Org', status: 'contact' });
    await updateOrg(db, stampAt(DAY0), 'Org', { member: true, contact: 'cleo@example.org' });
    const pending = await pendingNotices(db.kysely);
    expect(pending.map((p) => [p.to, p.role, p.kind])).toEqual([['cleo@example.org', 'organisation-contact', 'announcement']]);
    await recordNotices(db, stampAt(DAY0), { email: 'cleo@example.org', disclosure: pending[0]!.disclosure });
    expect((await check(db, DAY0)).problems).toEqual([]);
  });
});

describe('P9: the check reads every planned disclosure a page at a time', () => {
  test('P9: pages of 7 across three due dates hold each planned disclosure once, soonest first, every column as stored, hostile organisation names included', async () => {
    const { db } = await freshDb();
    // The naughty strings an organisation's name can be (200 characters at most, one of each case)
    // joining over three days: a page ends inside a day and the next day fills it.
    const names = storedNaughtyStrings(200).filter((name, i, all) => all.findIndex((n) => n.toLowerCase() === name.toLowerCase()) === i);
    for (const [i, name] of names.entries()) await addOrg(db, stampAt(day(i % 3)), { name, member: true });
    // A member told of their announcement, and a contact person for one organisation: every column has values.
    await addPerson(db, stampAt(day(1)), { name: 'Ann', email: 'ann@example.org', org: names[0], status: 'member' });
    await addPerson(db, stampAt(day(1)), { name: 'Cleo', email: 'cleo@example.org', org: names[1], status: 'contact' });
    await updateOrg(db, stampAt(day(1)), names[1]!, { contact: 'cleo@example.org' });
    const [ann] = await rows<{ id: number }>(db, "select x.id as id from disclosure x join person p on p.id = x.person_id where p.email = 'ann@example.org' and x.kind = 'announcement'");
    await recordNotices(db, stampAt(day(2)), { email: 'ann@example.org', disclosure: Number(ann!.id) });
    const through = day(40).slice(0, 10);
    const pages: CheckRow[][] = [];
    for await (const page of checkRowPages(db, db.kysely, through, 7)) pages.push(page);
    // The same rows by named columns, as the driver returns them.
    const expected = await rows<Record<string, string | number | null>>(db, `
      select x.id as id, x.kind as kind, x.due_on as due_on, x.person_id as person_id, p.email as email, o.name as organisation,
        o.contact_person_id as contact_id, c.email as contact_email, d.slug as document, x.recipient as recipient, x.no_notice_reason as no_notice_reason,
        (select min(n.at) from notice n where n.disclosure_id = x.id and n.role = case when x.person_id is null then 'organisation-contact' else 'subject' end) as noticed_at
      from disclosure x left join person p on p.id = x.person_id left join organisation o on o.id = x.organisation_id
        left join person c on c.id = o.contact_person_id left join document d on d.id = x.document_id
      where x.state = 'planned' and x.due_on <= ? order by x.due_on, x.id`, through);
    const num = (v: string | number | null | undefined) => (v === null ? null : Number(v));
    expect(new Set(expected.map((r) => r.due_on)).size).toBe(3);
    expect(pages.flat()).toEqual(expected.map((r) => ({
      id: Number(r.id), kind: r.kind, due_on: r.due_on, person_id: num(r.person_id), email: r.email, organisation: r.organisation, contact_id: num(r.contact_id), contact_email: r.contact_email,
      document: r.document, recipient: r.recipient, no_notice_reason: r.no_notice_reason,
      subject_noticed_at: r.person_id === null ? null : r.noticed_at, contact_noticed_at: r.person_id === null ? r.noticed_at : null,
    })));
    expect(pages.flat().filter((r) => r.subject_noticed_at !== null).map((r) => [r.email, r.kind])).toEqual([['ann@example.org', 'announcement']]);
    expect(pages.flat().filter((r) => r.contact_email !== null).map((r) => r.organisation)).toEqual([names[1]]);
    expect(pages.map((p) => p.length)).toEqual(Array.from({ length: Math.ceil(expected.length / 7) }, (_, i) => Math.min(7, expected.length - 7 * i)));
    expect(new Set(pages.flat().map((r) => r.organisation))).toEqual(new Set(names));
  });
});

describe('P9: a release waits for the notices', () => {
  test('refused while someone credited was not told; forced with a reason, audited', async () => {
    const { db } = await freshDb();
    await addDocument(db, stampAt(DAY0), { slug: 'spec', title: 'Spec', releaseOn: day(20).slice(0, 10) });
    await addPerson(db, stampAt(DAY0), { name: 'Ann', email: 'ann@example.org', status: 'member' });
    for (let i = 0; i < 3; i++) await logActivity(db, stampAt(DAY0), { email: 'ann@example.org', action: `edit-${i}`, document: 'spec' });
    await recordConsent(db, stampAt(DAY0), { email: 'ann@example.org', purpose: 'credit', action: 'grant' });
    const refused = await releaseDocument(db, stampAt(day(1)), 'spec').catch((e) => e);
    expect(refused).toBeInstanceOf(PolicyError);
    expect(refused.message).toMatch(/P9.*ann@example.org|ann@example.org.*P9/);
    await expect(releaseDocument(db, stampAt(day(1)), 'spec', { force: true })).rejects.toBeInstanceOf(UsageError);
    const r = await releaseDocument(db, stampAt(day(1)), 'spec', { force: true, reason: 'printer deadline' });
    expect(r.credited).toBe(1);
    const audit = await rows<{ summary: string }>(db, "select summary from audit_entry where summary like 'P9 override%'");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toMatch(/release of spec.*reason: printer deadline/);
  });
});

describe('P9: a notice is dated between its disclosure and now', () => {
  test('P9: recordNotices refuses a time before the disclosure was planned, for one disclosure and for all pending; nothing recorded', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(DAY0), { name: 'Ann', email: 'ann@example.org', status: 'member' });
    await addPerson(db, stampAt(day(2)), { name: 'Ben', email: 'ben@example.org', status: 'member' });
    const notices = async () => (await rows<{ n: number }>(db, "select count(*) as n from notice where role = 'subject' and channel <> 'membership-terms'"))[0]!.n;
    // The service gives the reason; the command line's words for it (wordError) are what a person reads.
    const one = await recordNotices(db, stampAt(day(3)), { email: 'ann@example.org', disclosure: 1, at: '2001-01-01T00:00:00Z' }).catch(wordError);
    expect(one).toBeInstanceOf(UsageError);
    expect(one.exitCode).toBe(2);
    expect(`${one.message} (${one.hint})`).toBe(`--at 2001-01-01T00:00:00.000Z is before disclosure #1 could be told of (a notice cannot come before what it tells of: the earliest allowed time is ${DAY0})`);
    // All pending: Ben's announcement (#3) was planned on day 2, so day 1 is too early for it, though not for Ann's.
    const all = await tellEveryonePending(db, stampAt(day(3)), { at: day(1) }).catch(wordError);
    expect(all).toBeInstanceOf(UsageError);
    expect(all.message).toBe(`--at ${day(1)} is before disclosure #3 could be told of`);
    expect(all.hint).toMatch(new RegExp(`earliest allowed time is ${day(2)}$`));
    await expect(tellEveryonePending(db, stampAt(day(3)), { at: day(4) })).rejects.toThrow(/is in the future/);
    expect(await notices()).toBe(0);
    expect((await check(db, day(3))).problems.map((p) => `${p.code} ${p.subject}`)).toEqual(['subject-not-informed ann@example.org', 'subject-not-informed ben@example.org']);
    expect(await tellEveryonePending(db, stampAt(day(3)), { at: day(2) })).toBe(2);
    expect(await notices()).toBe(2);
  });
});

describe('P6: no directory relay for someone whose directory consent is withdrawn', () => {
  test('P6: planMembership records the directory disclosure and its notice only while the directory consent is not withdrawn', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(DAY0), { name: 'Dee', email: 'dee@example.org', org: 'Org', status: 'member' });
    const id = Number((await rows<{ id: number }>(db, "select id from person where email_key = 'dee@example.org'"))[0]!.id);
    const relays = () => rows<{ state: string; created_at: string }>(db, "select state, created_at from disclosure where person_id = ? and kind = 'directory' order by id", id);
    const termsNotices = async () => (await rows<{ n: number }>(db, "select count(*) as n from notice where person_id = ? and channel = 'membership-terms'", id))[0]!.n;
    expect(await relays()).toEqual([{ state: 'released', created_at: DAY0 }]);
    await recordConsent(db, stampAt(day(1)), { email: 'dee@example.org', purpose: 'directory', action: 'withdraw' });
    expect(await inTransaction(db, (trx) => planMembership(db, trx, stampAt(day(2)), id))).toEqual({ directory: false });
    expect(await relays()).toHaveLength(1);
    expect(await termsNotices()).toBe(1);
    // Through updatePerson: leaving and rejoining keeps the withdrawal, and so records no relay.
    await updatePerson(db, stampAt(day(3)), 'dee@example.org', { status: 'former' });
    expect(await updatePerson(db, stampAt(day(4)), 'dee@example.org', { status: 'member' })).toMatchObject({ keptWithdrawn: ['directory'] });
    expect(await relays()).toHaveLength(1);
    expect(await termsNotices()).toBe(1);
    // Granted again, the next planning relays them.
    await recordConsent(db, stampAt(day(5)), { email: 'dee@example.org', purpose: 'directory', action: 'grant' });
    expect(await inTransaction(db, (trx) => planMembership(db, trx, stampAt(day(6)), id))).toEqual({ directory: true });
    expect((await relays()).map((r) => r.created_at)).toEqual([DAY0, day(6)]);
    expect(await termsNotices()).toBe(2);
  });
});

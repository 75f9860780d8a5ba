import { Readable } from 'node:stream';
import { recordConsent, showConsents } from '../../src/domain/consent/consent.service.js';
import { addPerson, updatePerson } from '../../src/domain/member/member.service.js';
import { importPeople } from '../../src/domain/member/member.import.js';
import { exportNewsletter } from '../../src/domain/newsletter/newsletter.service.js';
import type { NewsletterFormat } from '../../src/domain/newsletter/newsletter.render.js';
import type { Db } from '../../src/db/connection.js';
import type { DataSink } from '../../src/io/sink.js';
import { freshDb, rows, stampAt } from '../helpers/db.js';

/** Collects a newsletter export in memory. */
async function newsletter(db: Db, format: NewsletterFormat = 'lines'): Promise<string> {
  let text = '';
  const sink: DataSink = { destination: null, write: async (t) => void (text += t), commit: async () => {}, abort: async () => {} };
  await exportNewsletter(db, stampAt(), format, sink);
  return text;
}

function input(name: string, text: string) {
  return { name, stream: Readable.from([Buffer.from(text)]), isPipe: false };
}

describe('P1: a contact is on the newsletter only after an explicit newsletter consent', () => {
  test('a contact added without --newsletter is not exported; with it, is', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(), { name: 'Quiet Contact', email: 'quiet@example.org' });
    await addPerson(db, stampAt(), { name: 'Keen Contact', email: 'keen@example.org', newsletter: true });
    expect(await newsletter(db)).toBe('keen@example.org\n');
  });

  test('an imported contact with an empty newsletter cell is not subscribed', async () => {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('c.csv', 'name,email,organization,status,newsletter\nA,a@example.org,,contact,\nB,b@example.org,,contact,yes\nC,c@example.org,,,no\n'), {});
    expect(await newsletter(db)).toBe('b@example.org\n');
  });

  test('a member who becomes a contact or former leaves the newsletter, unless they asked for it themselves', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(), { name: 'Mem', email: 'mem@example.org', status: 'member' });
    await addPerson(db, stampAt(), { name: 'Old', email: 'old@example.org', status: 'member' });
    await addPerson(db, stampAt(), { name: 'Keen', email: 'keen@example.org', status: 'member' });
    await recordConsent(db, stampAt('2026-03-02T00:00:00Z'), { email: 'keen@example.org', purpose: 'newsletter', action: 'grant', basis: 'request' });
    expect(await newsletter(db)).toBe('mem@example.org\nold@example.org\nkeen@example.org\n');
    const left = stampAt('2026-03-03T00:00:00Z');
    expect((await updatePerson(db, left, 'mem@example.org', { status: 'contact' })).withdrawn).toEqual(['newsletter', 'directory']);
    expect((await updatePerson(db, left, 'old@example.org', { status: 'former' })).withdrawn).toEqual(['newsletter', 'directory']);
    expect((await updatePerson(db, left, 'keen@example.org', { status: 'former' })).withdrawn).toEqual(['directory']);
    expect(await newsletter(db)).toBe('keen@example.org\n');
    // P7: none of them is announced as a new member any more, contact or former.
    expect(await rows<{ state: string }>(db, "select state from disclosure where kind = 'announcement' order by id")).toEqual([{ state: 'cancelled' }, { state: 'cancelled' }, { state: 'cancelled' }]);
    const c = await showConsents(db, 'mem@example.org');
    expect(c.current.map((s) => [s.purpose, s.state, s.basis])).toEqual([
      ['directory', 'withdraw', 'membership-terms'],
      ['newsletter', 'withdraw', 'membership-terms'],
    ]);
    // Rejoining grants them again (their withdrawal was the membership's end, not their wish); a name change is no change of membership.
    expect((await updatePerson(db, stampAt('2026-03-04T00:00:00Z'), 'mem@example.org', { status: 'member' })).granted).toEqual(['newsletter', 'directory']);
    expect((await updatePerson(db, stampAt('2026-03-04T00:00:00Z'), 'keen@example.org', { name: 'Keen Again' })).withdrawn).toEqual([]);
  });
});

describe('P6: becoming a member records newsletter and directory consents by the membership terms', () => {
  test('member add', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(), { name: 'Ada', email: 'ada@example.org', status: 'member' });
    const c = await showConsents(db, 'ada@example.org');
    expect(c.current.map((s) => [s.purpose, s.state, s.basis])).toEqual([
      ['directory', 'grant', 'membership-terms'],
      ['newsletter', 'grant', 'membership-terms'],
    ]);
    expect(await newsletter(db)).toBe('ada@example.org\n');
  });

  test('member import with status member', async () => {
    const { db } = await freshDb();
    await importPeople(db, stampAt(), input('m.ndjson', '{"name":"Ada","email":"ada@example.org","status":"member"}\n'), {});
    const c = await showConsents(db, 'ada@example.org');
    expect(c.current.filter((s) => s.basis === 'membership-terms').map((s) => s.purpose)).toEqual(['directory', 'newsletter']);
  });

  test('update of a contact to member; a withdrawn newsletter stays withdrawn', async () => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(), { name: 'Bo', email: 'bo@example.org', newsletter: true });
    await recordConsent(db, stampAt('2026-03-02T00:00:00Z'), { email: 'bo@example.org', purpose: 'newsletter', action: 'withdraw' });
    const r = await updatePerson(db, stampAt('2026-03-03T00:00:00Z'), 'BO@example.org', { status: 'member' });
    expect(r.granted).toEqual(['directory']);
    expect(r.keptWithdrawn).toEqual(['newsletter']);
    expect(await newsletter(db)).toBe('');
  });
});

describe('imports never re-subscribe someone who withdrew', () => {
  test.each(['skip', 'update'] as const)('withdraw, then import the same person with newsletter=yes (--on-duplicate %s)', async (onDuplicate) => {
    const { db } = await freshDb();
    await addPerson(db, stampAt(), { name: 'Ada', email: 'ada@example.org', status: 'member' });
    await recordConsent(db, stampAt('2026-03-02T00:00:00Z'), { email: 'ada@example.org', purpose: 'newsletter', action: 'withdraw' });
    const r = await importPeople(db, stampAt('2026-03-03T00:00:00Z'), input('again.csv', 'name,email,status,newsletter\nAda Renamed,ADA@EXAMPLE.ORG,member,yes\n'), { onDuplicate });
    expect(r.counts[onDuplicate === 'skip' ? 'SKIP' : 'UPDATE']).toBe(1);
    expect(await newsletter(db)).toBe('');
    const c = await showConsents(db, 'ada@example.org');
    expect(c.current.find((s) => s.purpose === 'newsletter')?.state).toBe('withdraw');
    expect(c.history).toHaveLength(3);
    expect(c.name).toBe(onDuplicate === 'update' ? 'Ada Renamed' : 'Ada');
  });

  test('consent import is idempotent, and an event older than the current state is history that changes nothing', async () => {
    const { importConsents } = await import('../../src/domain/consent/consent.import.js');
    const { db } = await freshDb();
    await addPerson(db, stampAt('2026-03-01T10:00:00.000Z'), { name: 'Ada', email: 'ada@example.org', status: 'member' });
    const old = 'email,purpose,action,at\nada@example.org,newsletter,withdraw,2026-02-01T00:00:00Z\n';
    const notes: string[] = [];
    const first = await importConsents(db, stampAt('2026-03-02T00:00:00Z'), input('old.csv', old), {}, { onOutcome: (o) => void notes.push(o.note ?? '') });
    expect(first.counts.RECORD).toBe(1);
    expect(notes[0]).toMatch(/recorded as history; the later grant of 2026-03-01T10:00:00.000Z stays in force/);
    expect(await newsletter(db)).toBe('ada@example.org\n');
    const again = await importConsents(db, stampAt('2026-03-03T00:00:00Z'), input('old.csv', old), {});
    expect(again.counts).toMatchObject({ RECORD: 0, SKIP: 1 });
    expect((await showConsents(db, 'ada@example.org')).history).toHaveLength(3);
  });

  test('consent import skips a grant for a withdrawn purpose', async () => {
    const { importConsents } = await import('../../src/domain/consent/consent.import.js');
    const { db } = await freshDb();
    await addPerson(db, stampAt(), { name: 'Ada', email: 'ada@example.org', status: 'member' });
    await importConsents(db, stampAt('2026-03-02T00:00:00Z'), input('u.csv', 'email,purpose,action\nada@example.org,newsletter,withdraw\n'), {});
    const r = await importConsents(db, stampAt('2026-03-03T00:00:00Z'), input('g.csv', 'email,purpose,action,at\nada@example.org,newsletter,grant,2026-03-02T12:00:00Z\n'), {});
    expect(r.counts).toMatchObject({ SKIP: 1, RECORD: 0 });
    expect(await newsletter(db)).toBe('');
  });
});

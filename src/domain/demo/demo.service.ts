import { existsSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from '../../context.js';
import { openDb, type Db } from '../../db/connection.js';
import { ConflictError } from '../../errors.js';
import { hasDemoAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { recordConsent } from '../consent/consent.service.js';
import { initDatabase } from '../db/db.service.js';
import { importPeople } from '../member/member.import.js';
import { addPerson } from '../member/member.service.js';
import { updatePerson } from '../member/member.service.js';
import { addOrg, updateOrg } from '../org/org.service.js';
import { importActivity } from '../activity/activity.service.js';
import { addDocument, overrideParticipant, releaseDocument } from '../document/document.service.js';
import { recordNotices } from '../notice/notice.service.js';
import { tellEveryonePending } from './demo.notices.js';
import { demoOrganisations, demoPeople, prng } from './demo.data.js';

/** True if the file is a database that `consort demo` made (so a forced demo may replace it). */
async function isDemoDatabase(path: string): Promise<boolean> {
  try {
    const db = openDb(path);
    try {
      return hasDemoAuditEntry(db);
    } finally {
      await db.close();
    }
  } catch {
    return false;
  }
}

/** A date `days` after the stamp's day. */
function dayAfter(stamp: Stamp, days: number): string {
  return new Date(Date.parse(stamp.at.slice(0, 10)) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Documents with participants in every state (P8): on qti-3, one credited by
 * activity, one without consent, one who withdrew for this document, one removed
 * by hand, one below the threshold, one added by hand; lti-1.3 released; a draft.
 */
async function demoDocuments(db: Db, stamp: Stamp, active: string[], blanketCredit: Set<string>, rnd: () => number) {
  await addDocument(db, stamp, { slug: 'qti-3', title: 'Question and Test Interoperability 3.0', releaseOn: dayAfter(stamp, 30) });
  await addDocument(db, stamp, { slug: 'lti-1.3', title: 'Learning Tools Interoperability 1.3', releaseOn: dayAfter(stamp, 0) });
  await addDocument(db, stamp, { slug: 'caliper-2', title: 'Caliper Analytics 2.0' });
  const noConsent = active.find((e) => !blanketCredit.has(e));
  const [credited, withdrawn, removed, below, added] = active.filter((e) => e !== noConsent);
  const events: string[] = [];
  const log = (email: string | undefined, slug: string, n: number) => {
    for (let i = 0; i < n && email; i++) events.push(JSON.stringify({ email, action: ['edit', 'comment', 'review'][i % 3], at: stamp.at, document: slug }));
  };
  log(credited, 'qti-3', 4);
  log(noConsent, 'qti-3', 3);
  log(withdrawn, 'qti-3', 3);
  log(removed, 'qti-3', 5);
  log(below, 'qti-3', 1);
  for (const email of active.slice(6, 30)) log(email, rnd() < 0.5 ? 'qti-3' : 'lti-1.3', 1 + Math.floor(rnd() * 5));
  await importActivity(db, stamp, { name: 'demo-site-log.ndjson', stream: Readable.from([Buffer.from(events.join('\n') + '\n')]), isPipe: false }, {});
  const grant = (email: string | undefined, action: 'grant' | 'withdraw', document?: string) =>
    email ? recordConsent(db, stamp, { email, purpose: 'credit', action, document, evidence: 'credit consent form' }) : undefined;
  await grant(credited, 'grant', 'qti-3');
  await grant(withdrawn, 'grant');
  await grant(withdrawn, 'withdraw', 'qti-3');
  await grant(removed, 'grant', 'qti-3');
  await grant(below, 'grant', 'qti-3');
  await grant(added, 'grant', 'qti-3');
  if (removed) await overrideParticipant(db, stamp, 'qti-3', removed, 'removed');
  if (added) await overrideParticipant(db, stamp, 'qti-3', added, 'added');
  await tellEveryonePending(db, stamp);
  await releaseDocument(db, stamp, 'lti-1.3');
}

/**
 * Everyone so far is told of what is planned; then the cases `disclosures check`
 * exists for (P9): new members and member organisations nobody told, one without a
 * contact person, and a document due in ten days whose participants were told
 * late, told and then withdrew, never told, or never asked for consent.
 */
async function demoDisclosureProblems(db: Db, stamp: Stamp, active: string[], blanketCredit: Set<string>) {
  await tellEveryonePending(db, stamp);
  await addPerson(db, stamp, { name: 'Grace Nakamura', email: 'grace.nakamura@contoso.example.com', org: 'Contoso Learning', status: 'member' });
  await addOrg(db, stamp, { name: 'Northwind Labs', domain: 'labs.northwind.example.edu', member: true });
  await addPerson(db, stamp, { name: 'Hamid Haddad', email: 'hamid.haddad@fabrikam.example.net', org: 'Fabrikam Research', status: 'contact' });
  await updateOrg(db, stamp, 'Fabrikam Research', { member: true, contact: 'hamid.haddad@fabrikam.example.net' });
  // The last members, clear of the documents above; the unasked one has no blanket credit consent.
  const unasked = [...active].reverse().find((e) => !blanketCredit.has(e));
  const [late, withdrew, untold] = [...active].reverse().filter((e) => e !== unasked);
  if (!unasked || !untold) return;
  await addDocument(db, stamp, { slug: 'a11y-2.1', title: 'Accessibility Guidelines 2.1', releaseOn: dayAfter(stamp, 10) });
  const events = [late, withdrew, untold, unasked].flatMap((email) => ['edit', 'comment', 'review'].map((action) => JSON.stringify({ email, action, at: stamp.at, document: 'a11y-2.1' })));
  await importActivity(db, stamp, { name: 'demo-a11y.ndjson', stream: Readable.from([Buffer.from(events.join('\n') + '\n')]), isPipe: false }, {});
  for (const email of [late!, withdrew!, untold!]) await recordConsent(db, stamp, { email, purpose: 'credit', action: 'grant', document: 'a11y-2.1', evidence: 'credit consent form' });
  await recordNotices(db, stamp, { email: withdrew!, document: 'a11y-2.1', channel: 'email' });
  await recordConsent(db, stamp, { email: withdrew!, purpose: 'credit', action: 'withdraw', document: 'a11y-2.1', evidence: 'reply to the notice' });
  // Told today for a release in ten days: fewer than notice-days (14) before.
  await recordNotices(db, stamp, { email: late!, document: 'a11y-2.1', channel: 'email' });
}

/**
 * Builds a demo database of generated organisations, members and contacts with
 * their consents (some withdrawn), through the same services staff use.
 * Replaces an earlier demo database when forced, never any other file.
 */
export async function buildDemo(ctx: Context, stamp: Stamp, opts: { force?: boolean; people?: number }) {
  // On PostgreSQL, demo fills an empty database (init refuses one that holds a schema); a file is replaced only if it was a demo.
  if (ctx.dbTarget.dialect === 'sqlite' && existsSync(ctx.dbPath)) {
    if (!opts.force) throw new ConflictError(`${ctx.dbPath} already exists`, { key: 'demo-exists' });
    if (!(await isDemoDatabase(ctx.dbPath))) throw new ConflictError(`${ctx.dbPath} is not a demo database; consort demo will not replace it`, { key: 'not-a-demo' });
    for (const suffix of ['', '-wal', '-shm']) rmSync(ctx.dbPath + suffix, { force: true });
  }
  await initDatabase(ctx, stamp);
  const db = await ctx.db();
  for (const o of demoOrganisations()) await addOrg(db, stamp, { name: o.name, domain: o.domain, member: o.member });
  const people = demoPeople(opts.people ?? 240);
  const ndjson = people.map((p) => JSON.stringify(p)).join('\n') + '\n';
  const input = { name: 'demo-people.ndjson', stream: Readable.from([Buffer.from(ndjson)]), isPipe: false };
  await importPeople(db, stamp, input, { source: 'demo' });

  const rnd = prng(7);
  const members = people.filter((p) => p.status === 'member');
  // Some members unsubscribe; some contacts who asked change their mind.
  for (const p of members.filter(() => rnd() < 0.12)) {
    await recordConsent(db, stamp, { email: p.email, purpose: 'newsletter', action: 'withdraw', evidence: 'unsubscribe link in newsletter' });
  }
  for (const p of people.filter((x) => x.newsletter && rnd() < 0.2)) {
    await recordConsent(db, stamp, { email: p.email, purpose: 'newsletter', action: 'withdraw', evidence: 'reply: please remove me' });
  }
  const blanketCredit = new Set<string>();
  for (const p of members.filter(() => rnd() < 0.3)) {
    await recordConsent(db, stamp, { email: p.email, purpose: 'credit', action: 'grant', evidence: 'credit consent form' });
    blanketCredit.add(p.email);
  }
  const former = new Set(members.filter(() => rnd() < 0.05).map((p) => p.email));
  for (const email of former) await updatePerson(db, stamp, email, { status: 'former' });
  await demoDocuments(db, stamp, members.filter((p) => !former.has(p.email)).map((p) => p.email), blanketCredit, rnd);
  for (const o of demoOrganisations().filter((x) => x.member)) {
    const contact = members.find((p) => p.organization === o.name);
    if (contact) await updateOrg(db, stamp, o.name, { contact: contact.email });
  }
  await demoDisclosureProblems(db, stamp, members.filter((p) => !former.has(p.email)).map((p) => p.email), blanketCredit);
  return { path: ctx.dbPath, people: people.length + 2, organisations: demoOrganisations().length + 2, sample: members[0]?.email ?? people[0]!.email };
}

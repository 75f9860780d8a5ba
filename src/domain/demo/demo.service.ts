import { existsSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from '../../context.js';
import { openDb } from '../../db/connection.js';
import { ConflictError } from '../../errors.js';
import type { Stamp } from '../audit/audit.service.js';
import { recordConsent } from '../consent/consent.service.js';
import { initDatabase } from '../db/db.service.js';
import { importPeople } from '../member/member.import.js';
import { updatePerson } from '../member/member.service.js';
import { addOrg, updateOrg } from '../org/org.service.js';
import { demoOrganisations, demoPeople, prng } from './demo.data.js';

/** True if the file is a database that `consort demo` made (so --force may replace it). */
function isDemoDatabase(path: string): boolean {
  try {
    const db = openDb(path);
    try {
      return Boolean(db.sqlite.prepare("select 1 from audit_entry where command = 'demo' limit 1").get());
    } finally {
      db.sqlite.close();
    }
  } catch {
    return false;
  }
}

/**
 * Builds a demo database of generated organisations, members and contacts with
 * their consents (some withdrawn), through the same services staff use.
 * Replaces an earlier demo database with --force, never any other file.
 */
export async function buildDemo(ctx: Context, stamp: Stamp, opts: { force?: boolean; people?: number }) {
  if (existsSync(ctx.dbPath)) {
    if (!opts.force) throw new ConflictError(`${ctx.dbPath} already exists`, 'pass --force to rebuild a demo database, or choose another --db');
    if (!isDemoDatabase(ctx.dbPath)) throw new ConflictError(`${ctx.dbPath} is not a demo database; consort demo will not replace it`, 'choose another --db');
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
  for (const p of members.filter(() => rnd() < 0.3)) {
    await recordConsent(db, stamp, { email: p.email, purpose: 'credit', action: 'grant', evidence: 'credit consent form' });
  }
  for (const p of members.filter(() => rnd() < 0.05)) await updatePerson(db, stamp, p.email, { status: 'former' });
  for (const o of demoOrganisations().filter((x) => x.member)) {
    const contact = members.find((p) => p.organization === o.name);
    if (contact) await updateOrg(db, stamp, o.name, { contact: contact.email });
  }
  return { path: ctx.dbPath, people: people.length, organisations: demoOrganisations().length, sample: members[0]?.email ?? people[0]!.email };
}

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import type { DataSink } from '../../io/sink.js';
import { markdownText } from '../../io/markdown.js';
import { safeJson } from '../../io/sanitize.js';
import type { Stamp } from '../audit/audit.service.js';
import { cancelPlanned, markReleased, plannedAnnouncementsThrough, type DisclosureRow } from '../disclosure/disclosure.repo.js';
import { addDays } from '../shared/time.js';
import { p9Gate, p9NoticePeriodGate, type Early, type Uninformed } from '../disclosure/gate.js';
import { recordExport } from '../export/export.repo.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import { latestConsent } from '../consent/consent.repo.js';
import { getSetting } from '../settings/settings.service.js';

export const ANNOUNCE_FORMATS = ['markdown', 'json', 'text'] as const;
export type AnnounceFormat = (typeof ANNOUNCE_FORMATS)[number];

/** An entry of the public announcement: a member (name and organisation, never email) or a member organisation. */
interface Entry {
  name: string | null;
  organisation: string | null;
}

function render(format: AnnounceFormat, through: string, people: Entry[], orgs: Entry[]): string {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
  people.sort((a, b) => collator.compare(a.name ?? '', b.name ?? ''));
  orgs.sort((a, b) => collator.compare(a.organisation ?? '', b.organisation ?? ''));
  if (format === 'json') return safeJson({ through, organisations: orgs.map((o) => o.organisation), members: people.map((p) => ({ name: p.name, organisation: p.organisation })) }, 2) + '\n';
  const person = (p: Entry) => `${p.name}${p.organisation ? ` (${p.organisation})` : ''}`;
  if (format === 'text') return [...orgs.map((o) => `organisation\t${o.organisation}`), ...people.map((p) => `member\t${person(p)}`)].map((l) => l.replace(/\r?\n/g, ' ') + '\n').join('');
  const mdPerson = (p: Entry) => `${markdownText(String(p.name))}${p.organisation ? ` (${markdownText(p.organisation)})` : ''}`;
  return [
    `# New members of the consortium (through ${through})\n\n`,
    orgs.length ? `## Member organisations\n\n${orgs.map((o) => `- ${markdownText(o.organisation!)}\n`).join('')}\n` : '',
    people.length ? `## Members\n\n${people.map((p) => `- ${mdPerson(p)}\n`).join('')}` : '',
  ].join('');
}

/** The last due date an announcement covers: `through` (a date, checked as announce.schema.ts does), else today. */
export function announcementThrough(through: string | undefined, today: string): string {
  return through ?? today;
}

/** Planned announcements due through `through`: those to announce, and the ids of those left out (consent withdrawn). */
async function plannedAnnouncements(trx: Kysely<Database>, through: string): Promise<{ due: DisclosureRow[]; withdrawn: Set<number> }> {
  const rows = await plannedAnnouncementsThrough(trx, through);
  const withdrawn = new Set<number>();
  for (const d of rows.filter((r) => r.person_id !== null)) {
    const c = await latestConsent(trx, d.person_id!, 'announcement', null);
    if (c?.action === 'withdraw') withdrawn.add(d.id);
  }
  return { due: rows.filter((r) => !withdrawn.has(r.id)), withdrawn };
}

/**
 * P9: the announcements whose people were told but may not be published today. The notice
 * promised the due date, and time to object until then, so each is published no earlier than
 * its due date, nor than `notice-days` after its person (or, organisation-level, its contact
 * person) was first told. Those never told are p9Gate's.
 */
async function tooEarly(trx: Kysely<Database>, due: DisclosureRow[], today: string): Promise<Early[]> {
  const days = Number(await getSetting(trx, 'notice-days'));
  const early: Early[] = [];
  for (const d of due) {
    const noticed = d.person_id !== null ? d.subject_noticed_at : d.contact_noticed_at;
    if (!noticed) continue;
    const periodEnds = addDays(noticed, days);
    const notBefore = periodEnds > d.due_on ? periodEnds : d.due_on;
    if (notBefore > today) early.push({ disclosure: d.id, who: d.person_id !== null ? d.email! : `${d.contact_email} for ${d.organisation}`, notBefore });
  }
  return early;
}

/** P9's two gates for announcements about to be released: who was not told, and who was told too recently. */
async function gates(trx: Kysely<Database>, due: DisclosureRow[], today: string): Promise<{ uninformed: Uninformed[]; early: Early[] }> {
  const uninformed = due
    .filter((d) => (d.person_id !== null ? !d.subject_noticed_at : !d.contact_noticed_at))
    .map((d) => ({ disclosure: d.id, who: d.person_id !== null ? d.email! : d.contact_email ? `${d.contact_email} for ${d.organisation}` : `${d.organisation} (no contact person)` }));
  return { uninformed, early: await tooEarly(trx, due, today) };
}

/**
 * What stands between the announcements through `through` and their publication today, for the
 * command to refuse before it asks: the same announcements the publication would release (those
 * whose consent was withdrawn are left out, and cancelled), so the same gates as the service's.
 */
export async function publicationGates(db: Kysely<Database>, through: string, today: string): Promise<{ uninformed: Uninformed[]; early: Early[] }> {
  return gates(db, (await plannedAnnouncements(db, through)).due, today);
}

/**
 * The public announcement of new members and member organisations due through
 * `through` (P7). With `publish`: P9 first (everyone concerned told, and the
 * notice period they were given over, or forced with a reason), then the
 * disclosures become released and frozen. A member who withdrew the
 * announcement consent is left out (and, on publishing, cancelled).
 */
export async function exportAnnouncement(db: Db, stamp: Stamp, opts: { through?: string; format: AnnounceFormat; publish?: boolean; force?: boolean; reason?: string }, sink: DataSink) {
  const today = stamp.at.slice(0, 10);
  const through = announcementThrough(opts.through, today);
  try {
    const result = await inTransaction(db, async (trx) => {
      const { due, withdrawn } = await plannedAnnouncements(trx, through);
      const people = due.filter((d) => d.person_id !== null).map((d) => JSON.parse(d.facts) as Entry);
      const orgs = due.filter((d) => d.person_id === null).map((d) => JSON.parse(d.facts) as Entry);
      const text = render(opts.format, through, people, orgs);
      const sha256 = createHash('sha256').update(text).digest('hex');
      if (opts.publish) {
        const { uninformed, early } = await gates(trx, due, today);
        const force = opts.force ? { reason: opts.reason } : undefined;
        await p9Gate(trx, stamp, `announcement through ${through}`, uninformed, force);
        await p9NoticePeriodGate(trx, stamp, `announcement through ${through}`, early, force);
        for (const d of due) await markReleased(trx, d.id, stamp.at);
        // Withdrawn since planned (P7): still planned, so cancelling them cancels exactly these.
        for (const id of withdrawn) await cancelPlanned(trx, stamp.at, { id });
        await appendAuditEntry(trx, { ...stamp, summary: `published the announcement through ${through}: ${due.length} disclosures released${withdrawn.size ? `, ${withdrawn.size} cancelled (consent withdrawn)` : ''}` });
      }
      await sink.write(text);
      await recordExport(trx, stamp, { kind: `announcement${opts.publish ? '' : ' (draft)'}`, purpose: 'announcement (P7)', audience: opts.publish ? 'public' : 'staff', rowCount: due.length, sha256, destination: sink.destination });
      await sink.commit();
      return { through, published: Boolean(opts.publish), members: people.length, organisations: orgs.length, leftOut: withdrawn.size, sha256 };
    });
    return result;
  } catch (err) {
    await sink.abort();
    throw err;
  }
}

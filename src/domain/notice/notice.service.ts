import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError, UsageError } from '../../errors.js';
import type { DataSink } from '../../io/sink.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { selectDisclosures, toDisclosureRow, type DisclosureRow } from '../disclosure/disclosure.repo.js';
import { addDays, syncCreditDisclosures } from '../disclosure/disclosure.service.js';
import { emailKey } from '../email.js';
import { deliverExport } from '../export/export.service.js';
import { getSetting } from '../settings/settings.service.js';
import { parseIsoTime } from '../time.js';
import { renderNotice, type NoticeFormat } from './notice.render.js';

/** One notice still to give: who must be told of which disclosure, by when. */
export interface PendingNotice {
  to: string;
  name: string;
  personId: number;
  role: 'subject' | 'organisation-contact';
  disclosure: number;
  kind: string;
  audience: string;
  recipient: string | null;
  document: string | null;
  organisation: string | null;
  due_on: string;
  inform_by: string;
  released: boolean;
  facts: Record<string, unknown>;
}

/** Planned disclosures, and lawful ones already made, whose people have not been told (P9). */
export async function pendingNotices(trx: Kysely<Database>): Promise<PendingNotice[]> {
  const days = Number(await getSetting(trx, 'notice-days'));
  const rows = [
    ...(await selectDisclosures(trx).where('x.state', '=', 'planned').execute()),
    ...(await selectDisclosures(trx).where('x.kind', '=', 'legal').where('x.state', '=', 'released').where('x.no_notice_reason', 'is', null).execute()),
  ].map(toDisclosureRow);
  const names = new Map<number, string>();
  const nameOf = async (id: number) => {
    if (!names.has(id)) names.set(id, (await trx.selectFrom('person').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name);
    return names.get(id)!;
  };
  const pending: PendingNotice[] = [];
  const base = (d: DisclosureRow) => ({
    disclosure: d.id, kind: d.kind, audience: d.audience, recipient: d.recipient, document: d.document, organisation: d.organisation, due_on: d.due_on,
    inform_by: d.kind === 'legal' ? d.due_on : addDays(d.due_on, -days), released: d.state === 'released', facts: JSON.parse(d.facts) as Record<string, unknown>,
  });
  for (const d of rows) {
    if (d.person_id !== null && !d.subject_noticed_at) pending.push({ ...base(d), to: d.email!, name: d.name!, personId: d.person_id, role: 'subject' });
    if (d.person_id === null && d.contact_id !== null && !d.contact_noticed_at) pending.push({ ...base(d), to: d.contact_email!, name: await nameOf(d.contact_id), personId: d.contact_id, role: 'organisation-contact' });
  }
  return pending;
}

/** Refreshes planned disclosures, then lists the notices still to give. */
export function listPendingNotices(db: Db, stamp: Stamp): Promise<PendingNotice[]> {
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    return pendingNotices(trx);
  });
}

export interface NoticeSelection {
  email?: string;
  disclosure?: number;
  document?: string;
  allPending?: boolean;
  channel?: string;
  at?: string;
}

/**
 * The disclosures of `pending` that `at` is too early for, latest first, with the earliest time
 * each could have been told of: when it was planned; for a credit, which consort plans only
 * when it next looks at the document, when both the document and the person were there; for
 * a lawful disclosure, which is recorded as it is made, when the person was there.
 */
async function toldTooEarly(trx: Kysely<Database>, pending: PendingNotice[], at: string): Promise<Array<{ id: number; earliest: string }>> {
  const ids = [...new Set(pending.map((p) => p.disclosure))];
  const found: Array<{ id: number; earliest: string }> = [];
  // By id, in chunks within every database's limit on bound parameters.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom('disclosure as x')
      .leftJoin('person as p', 'p.id', 'x.person_id')
      .leftJoin('document as d', 'd.id', 'x.document_id')
      .select(['x.id', 'x.kind', 'x.created_at', 'p.created_at as person_created', 'd.created_at as document_created'])
      .where('x.id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      // A credit is planned only when consort next looks at the document, and a lawful disclosure
      // (disclose) is recorded when it is made, after the person may well have been told.
      const earliest = r.kind === 'credit' ? [r.person_created ?? '', r.document_created ?? ''].reduce((a, b) => (a > b ? a : b)) : r.kind === 'legal' ? (r.person_created ?? r.created_at) : r.created_at;
      if (earliest > at) found.push({ id: Number(r.id), earliest });
    }
  }
  return found.sort((a, b) => (a.earliest < b.earliest ? 1 : a.earliest > b.earliest ? -1 : b.id - a.id));
}

/** Records notices as given: of one disclosure (to EMAIL), of a document's credits or of every pending one (to EMAIL, or to everyone concerned). */
export async function recordNotices(db: Db, stamp: Stamp, s: NoticeSelection) {
  const chosen = [s.disclosure !== undefined, s.document !== undefined, Boolean(s.allPending)].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('give exactly one of --disclosure ID, --document SLUG, --all-pending');
  if (!s.email && s.disclosure !== undefined) throw new UsageError('missing EMAIL', 'name who was informed of the disclosure');
  const at = s.at === undefined ? stamp.at : parseIsoTime(s.at);
  if (!at) throw new UsageError(`--at is not an ISO 8601 time: '${s.at}'`, 'e.g. --at 2026-01-31T09:00:00Z');
  if (at > stamp.at) throw new UsageError(`--at ${at} is in the future`, `a notice is recorded once given: give --at ${stamp.at} or earlier`);
  const channel = (s.channel ?? 'email').trim();
  if (!channel || channel.length > 50) throw new UsageError('--channel must be 1 to 50 characters');
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    let pending = await pendingNotices(trx);
    if (s.email) {
      const key = emailKey(s.email);
      if (!(await trx.selectFrom('person').select('id').where('email_key', '=', key).executeTakeFirst())) throw new NotFoundError(`no person with email ${s.email}`);
      pending = pending.filter((p) => p.to.toLowerCase() === key);
    }
    if (s.disclosure !== undefined) {
      if (!(await trx.selectFrom('disclosure').select('id').where('id', '=', s.disclosure).executeTakeFirst())) throw new NotFoundError(`no disclosure #${s.disclosure}`, 'see consort disclosures list');
      pending = pending.filter((p) => p.disclosure === s.disclosure);
    }
    if (s.document !== undefined) {
      if (!(await trx.selectFrom('document').select('id').where('slug', '=', s.document).executeTakeFirst())) throw new NotFoundError(`no document '${s.document}'`, 'see consort document list');
      pending = pending.filter((p) => p.document === s.document);
    }
    // Nothing pending is normal for a pipeline's --all-pending; for one disclosure it is a mistake.
    if (!pending.length && s.disclosure !== undefined) throw new NotFoundError(`no pending notice of disclosure #${s.disclosure}${s.email ? ` to ${s.email}` : ''}`, 'see consort notice pending');
    if (!pending.length) return [];
    // A notice cannot come before what it tells of: a mistyped year must not satisfy P9.
    const early = await toldTooEarly(trx, pending, at);
    if (early.length) {
      const last = early[0]!;
      const which = early.length === 1 ? `disclosure #${last.id} could be told of` : `${early.length} of the disclosures could be told of (${early.slice(0, 5).map((d) => `#${d.id}`).join(', ')}${early.length > 5 ? ', …' : ''})`;
      throw new UsageError(`${s.at === undefined ? 'the notice time' : '--at'} ${at} is before ${which}`, `a notice cannot come before what it tells of: the earliest allowed time is ${last.earliest}`);
    }
    const days = Number(await getSetting(trx, 'notice-days'));
    for (const p of pending) {
      await trx.insertInto('notice').values({ disclosure_id: p.disclosure, person_id: p.personId, role: p.role, channel, at, actor: stamp.actor, recorded_at: stamp.at }).execute();
      // An announcement has no fixed date: one told late waits until notice-days after the notice.
      const earliest = addDays(at, days);
      if (p.kind === 'announcement' && !p.released && p.due_on < earliest) await trx.updateTable('disclosure').set({ due_on: earliest }).where('id', '=', p.disclosure).execute();
    }
    await appendAuditEntry(trx, { ...stamp, summary: `recorded ${pending.length} notices (${channel}, ${at}) for disclosures ${pending.map((p) => `#${p.disclosure}`).join(', ')}` });
    return pending.map((p) => ({ to: p.to, disclosure: p.disclosure, kind: p.kind, role: p.role, channel, at }));
  });
}

/** Writes drafts of every pending notice for a mailer; recorded as an export. Notices are recorded only by `notice record`. */
export async function exportNoticeDrafts(db: Db, stamp: Stamp, format: NoticeFormat, sink: DataSink) {
  const pending = await listPendingNotices(db, stamp);
  const settings = {
    controllerName: await getSetting(db.kysely, 'controller-name'),
    controllerContact: await getSetting(db.kysely, 'controller-contact'),
    policyUrl: await getSetting(db.kysely, 'policy-url'),
  };
  const titles = new Map((await db.kysely.selectFrom('document').select(['slug', 'title']).execute()).map((d) => [d.slug, d.title]));
  const text = renderNotice(format, pending, { ...settings, now: stamp.at, titles });
  const { sha256 } = await deliverExport(db, stamp, sink, text, { kind: 'notice drafts', purpose: 'notice (P9)', audience: 'the people concerned', rowCount: pending.length });
  return { count: pending.length, sha256 };
}

import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { InputError, NotFoundError, UsageError, type InputProblem } from '../../errors.js';
import type { MboxMessage } from '../../io/mbox.js';
import type { DataSink } from '../../io/sink.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { refreshDisclosures, syncCreditDisclosures } from '../disclosure/disclosure.service.js';
import { requirePersonKey } from '../member/member.repo.js';
import { deliverExport } from '../export/export.service.js';
import { getSetting, isSet } from '../settings/settings.service.js';
import { parseIsoTime } from '../shared/time.js';
import { letterDigest, noticeMessageId, noticePreview, renderNotice, type NoticeContext, type NoticeFormat } from './notice.render.js';
import { databaseId, disclosureExists, disclosureOrigins, documentTitles, insertNotice, pendingNoticePages, pendingNotices, recordedMessageIds, setDueOn, type GivenNotice, type PendingNotice } from './notice.repo.js';
import { addDays } from '../shared/time.js';
import { findDocument } from '../document/document.repo.js';

export type { PendingNotice } from './notice.repo.js';

/**
 * Records given notices (P9). An announcement has no fixed date: one told late waits until
 * notice-days after its notice, so the person still has the time the notice promised.
 */
export async function writeGivenNotices(trx: Kysely<Database>, actor: string, recordedAt: string, given: GivenNotice[]): Promise<void> {
  const days = Number(await getSetting(trx, 'notice-days'));
  for (const g of given) {
    await insertNotice(trx, actor, recordedAt, g);
    const p = g.notice;
    const earliest = addDays(g.at, days);
    if (p.kind === 'announcement' && !p.released && p.due_on < earliest) await setDueOn(trx, p.disclosure, earliest);
  }
}

/**
 * Refreshes planned disclosures, then lists the notices still to give a page at a time, as
 * `disclosures check` reads its pages after the refresh: 300k pending notices hold one page.
 */
export async function listPendingNotices(db: Db, stamp: Stamp): Promise<AsyncGenerator<PendingNotice[]>> {
  await refreshDisclosures(db, stamp);
  return pendingNoticePages(db);
}

/** Which notice a person was told of by hand: one disclosure, or a document's credit. */
export interface NoticeSelection {
  email: string;
  disclosure?: number;
  document?: string;
  channel?: string;
  at?: string;
}

/** The time a notice was given: `at` (ISO 8601, not in the future), else now. */
function noticeTime(stamp: Stamp, at: string | undefined): string {
  const t = at === undefined ? stamp.at : parseIsoTime(at);
  if (!t) throw new UsageError(`the notice time is not an ISO 8601 time: '${at}'`, { key: 'notice-at-not-time', at: at! });
  if (t > stamp.at) throw new UsageError(`the notice time ${t} is in the future`, { key: 'notice-at-future', at: t, now: stamp.at });
  return t;
}

function noticeChannel(channel: string | undefined): string {
  const c = (channel ?? 'email').trim();
  if (!c || c.length > 50 || /[\x00-\x1f\x7f]/.test(c)) throw new UsageError('a notice channel is 1 to 50 printable characters', { key: 'notice-channel' });
  return c;
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
    const rows = await disclosureOrigins(trx, ids.slice(i, i + 500));
    for (const r of rows) {
      // A credit is planned only when consort next looks at the document, and a lawful disclosure
      // (disclose) is recorded when it is made, after the person may well have been told.
      const earliest = r.kind === 'credit' ? [r.person_created ?? '', r.document_created ?? ''].reduce((a, b) => (a > b ? a : b)) : r.kind === 'legal' ? (r.person_created ?? r.created_at) : r.created_at;
      if (earliest > at) found.push({ id: Number(r.id), earliest });
    }
  }
  return found.sort((a, b) => (a.earliest < b.earliest ? 1 : a.earliest > b.earliest ? -1 : b.id - a.id));
}

/** A notice cannot come before what it tells of: a mistyped year must not satisfy P9. */
async function refuseTooEarly(trx: Kysely<Database>, pending: PendingNotice[], at: string, given: boolean): Promise<void> {
  const early = await toldTooEarly(trx, pending, at);
  if (!early.length) return;
  const last = early[0]!;
  const which = early.length === 1 ? `disclosure #${last.id} could be told of` : `${early.length} of the disclosures could be told of (${early.slice(0, 5).map((d) => `#${d.id}`).join(', ')}${early.length > 5 ? ', …' : ''})`;
  throw new UsageError(`the notice time ${at} is before ${which}`, { key: 'notice-before', at, which, given, earliest: last.earliest });
}

/** Records, by hand, that EMAIL was told of one disclosure, or of their credit in a document. */
export async function recordNotices(db: Db, stamp: Stamp, s: NoticeSelection) {
  const chosen = [s.disclosure !== undefined, s.document !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('a notice is of exactly one disclosure, or of one document', { key: 'notice-of-one' });
  const at = noticeTime(stamp, s.at);
  const channel = noticeChannel(s.channel);
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    const key = await requirePersonKey(trx, s.email);
    let pending = (await pendingNotices(trx)).filter((p) => p.to.toLowerCase() === key);
    if (s.disclosure !== undefined) {
      if (!(await disclosureExists(trx, s.disclosure))) throw new NotFoundError(`no disclosure #${s.disclosure}`, 'see consort disclosures list');
      pending = pending.filter((p) => p.disclosure === s.disclosure);
      if (!pending.length) throw new NotFoundError(`no pending notice of disclosure #${s.disclosure} to ${s.email}`, 'see consort notice pending');
    }
    if (s.document !== undefined) {
      if (!(await findDocument(trx, s.document))) throw new NotFoundError(`no document '${s.document}'`, 'see consort document list');
      pending = pending.filter((p) => p.document === s.document);
    }
    if (!pending.length) return [];
    await refuseTooEarly(trx, pending, at, s.at !== undefined);
    await writeGivenNotices(trx, stamp.actor, stamp.at, pending.map((notice) => ({ notice, channel, at })));
    await appendAuditEntry(trx, { ...stamp, summary: `recorded ${pending.length} notices (${channel}, ${at}) for disclosures ${pending.map((p) => `#${p.disclosure}`).join(', ')}` });
    return pending.map((p) => ({ to: p.to, disclosure: p.disclosure, kind: p.kind, role: p.role, channel, at, message_id: null as string | null }));
  });
}

/** What recording the notices of a mailbox file did with each of its messages. */
export interface MboxOutcome {
  line: number;
  message_id: string | null;
  outcome: 'recorded' | 'already recorded' | 'no longer pending' | 'unknown' | 'no Message-ID' | 'stale';
}

/**
 * Records exactly the notices whose messages are in an mbox that another mailer sent, by their
 * Message-IDs. A message this database did not write (unknown Message-ID, or none) is a bad row:
 * nothing is recorded unless skipInvalid. One recorded already, or no longer pending (recorded
 * by hand, its disclosure cancelled), is reported and changes nothing.
 */
export async function recordNoticesFromMbox(db: Db, stamp: Stamp, source: string, messages: AsyncIterable<MboxMessage | { line: number; problem: string }>, o: { channel?: string; at?: string; skipInvalid?: boolean }) {
  const at = noticeTime(stamp, o.at);
  const channel = noticeChannel(o.channel);
  const read: MboxMessage[] = [];
  const problems: InputProblem[] = [];
  for await (const m of messages) {
    if ('problem' in m) problems.push({ source, line: m.line, reason: m.problem });
    else read.push(m);
  }
  if (problems.some((p) => p.reason.startsWith('not an mbox'))) throw new InputError(`${source} is not an mbox of notices`, problems, 'give the file consort notice export wrote');
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    const id = await databaseId(trx);
    const pending = new Map((await pendingNotices(trx)).map((p) => [noticeMessageId(p, id), p]));
    const ours = new RegExp(`^<notice-\\d+-(subject|organisation-contact)-\\d+\\.${id}@consort\\.invalid>$`);
    const recorded = await recordedMessageIds(trx, read.flatMap((m) => (m.messageId ? [m.messageId] : [])));
    const outcomes: MboxOutcome[] = [];
    const given = new Map<string, PendingNotice>();
    for (const m of read) {
      const mid = m.messageId;
      let outcome: MboxOutcome['outcome'] = !mid ? 'no Message-ID' : given.has(mid) || recorded.has(mid) ? 'already recorded' : pending.has(mid) ? 'recorded' : ours.test(mid) ? 'no longer pending' : 'unknown';
      // The letter must still be true: sent to the address the person has now, with the date and facts of now.
      if (outcome === 'recorded' && m.letter !== letterDigest(pending.get(mid!)!)) {
        outcome = 'stale';
        problems.push({ source, line: m.line, field: 'X-Consort-Letter', reason: `${mid} was drafted before its address, date or facts changed: it does not tell what will be released now (draft it again)` });
      }
      if (outcome === 'recorded') given.set(mid!, pending.get(mid!)!);
      if (outcome === 'unknown') problems.push({ source, line: m.line, field: 'Message-ID', reason: `${mid} is not a notice of this database` });
      if (outcome === 'no Message-ID') problems.push({ source, line: m.line, field: 'Message-ID', reason: 'the message has none' });
      outcomes.push({ line: m.line, message_id: mid, outcome });
    }
    if (problems.length && !o.skipInvalid) throw new InputError(`${problems.length} message${problems.length === 1 ? '' : 's'} in ${source} ${problems.length === 1 ? 'is' : 'are'} not this database's notices as they stand; nothing was recorded`, problems, { key: 'skip-invalid-notices' });
    if (given.size) {
      await refuseTooEarly(trx, [...given.values()], at, o.at !== undefined);
      await writeGivenNotices(trx, stamp.actor, stamp.at, [...given].map(([messageId, notice]) => ({ notice, channel, at, messageId })));
      await appendAuditEntry(trx, { ...stamp, summary: `recorded ${given.size} notices (${channel}, ${at}) from ${source}, by Message-ID` });
    }
    return { outcomes, problems, recorded: given.size };
  });
}

/** What a letter needs besides the notice: the controller's settings, titles, this database's id, the template. */
export async function noticeContext(trx: Kysely<Database>, now: string): Promise<NoticeContext> {
  return {
    controllerName: await getSetting(trx, 'controller-name'),
    controllerContact: await getSetting(trx, 'controller-contact'),
    policyUrl: await getSetting(trx, 'policy-url'),
    now,
    titles: await documentTitles(trx),
    databaseId: await databaseId(trx),
    template: (await isSet(trx, 'notice-template')) ? await getSetting(trx, 'notice-template') : null,
    noticeDays: Number(await getSetting(trx, 'notice-days')),
  };
}

/** The pending notices (of one person, or everyone) as the people will read them. */
export async function previewNotices(db: Db, stamp: Stamp, email?: string): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    let pending = await pendingNotices(trx);
    if (email) {
      const key = await requirePersonKey(trx, email);
      pending = pending.filter((p) => p.to.toLowerCase() === key);
    }
    const c = await noticeContext(trx, stamp.at);
    return pending.map((n) => noticePreview(n, c));
  });
}

/** Writes drafts of every pending notice for a mailer; recorded as an export. Notices are recorded from the mailbox file that the mailer sent. */
export async function exportNoticeDrafts(db: Db, stamp: Stamp, format: NoticeFormat, sink: DataSink) {
  const { pending, context } = await inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    return { pending: await pendingNotices(trx), context: await noticeContext(trx, stamp.at) };
  });
  const text = renderNotice(format, pending, context);
  const { sha256 } = await deliverExport(db, stamp, sink, text, { kind: 'notice drafts', purpose: 'notice (P9)', audience: 'the people concerned', rowCount: pending.length });
  return { count: pending.length, sha256 };
}

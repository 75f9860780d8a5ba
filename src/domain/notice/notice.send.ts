import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { SendFailure, type Mailer } from '../../io/smtp.js';
import type { Stamp } from '../audit/audit.service.js';
import { syncCreditDisclosures } from '../disclosure/disclosure.service.js';
import { emailKey } from '../email.js';
import { recordExport } from '../export/export.repo.js';
import { SETTINGS, isSet } from '../settings/settings.service.js';
import { noticeMessage, noticeMessageId, noticeSubject, type NoticeContext } from './notice.render.js';
import { deliveriesOf, insertNotices, markInterruptedUncertain, markSending, pendingNoticePages, settleDelivery, type PendingNotice } from './notice.repo.js';
import { noticeContext } from './notice.service.js';

/** Which pending notices a run sends. */
export interface SendSelection {
  /** Only these people's notices; all pending when empty. */
  emails: string[];
  limit?: number;
  /** Send again the notices a run that died left uncertain (the person may get a second copy). */
  resendUncertain?: boolean;
  /** Send again the notices the server refused for good (after the address was corrected, say). */
  retryFailed?: boolean;
  dryRun?: boolean;
}

/** What a run did, or would do, with one notice. */
export interface SendOutcome {
  to: string;
  name: string;
  disclosure: number;
  kind: string;
  role: string;
  subject: string;
  message_id: string;
  state: 'sent' | 'failed' | 'deferred' | 'uncertain' | 'would send' | 'held: uncertain' | 'held: failed' | 'not sent';
  reply: string | null;
}

export interface SendPlan {
  context: NoticeContext;
  from: string;
  selection: SendSelection;
  /** The email keys of the people named; empty for everyone. */
  keys: Set<string>;
  /** Messages a run that died left `sending`, now uncertain. */
  interrupted: number;
  /** Why a real run would refuse to send from controller-contact (a dry run only warns). */
  fromProblem?: string;
}

/** A controller-contact that no real person reads: the default, or a reserved example domain. */
function placeholderContact(contact: string, set: boolean): boolean {
  return !set || contact === SETTINGS['controller-contact']!.default || /\.(example|invalid|test)$/i.test(contact.split('@')[1] ?? '');
}

/**
 * Gets a run ready: brings planned credits in step, turns messages an earlier run left `sending`
 * into uncertain ones, and checks the people named. A real run refuses while controller-contact,
 * the From of every notice, is unset or a placeholder.
 */
export async function planSend(db: Db, stamp: Stamp, s: SendSelection): Promise<SendPlan> {
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    const interrupted = s.dryRun ? 0 : await markInterruptedUncertain(trx, stamp.at);
    const context = await noticeContext(trx, stamp.at);
    const contactSet = await isSet(trx, 'controller-contact');
    const fromProblem = placeholderContact(context.controllerContact, contactSet) ? `controller-contact is ${contactSet ? `a placeholder (${context.controllerContact})` : 'not set'}: notices would come from an address nobody reads` : undefined;
    if (fromProblem && !s.dryRun) throw new UsageError(fromProblem, 'consort config set controller-contact privacy@your-consortium.org, and controller-name');
    const keys = new Set<string>();
    for (const email of s.emails) {
      const key = emailKey(email);
      if (!(await trx.selectFrom('person').select('id').where('email_key', '=', key).executeTakeFirst())) throw new NotFoundError(`no person with email ${email}`, 'see consort notice pending');
      keys.add(key);
    }
    return { context, from: context.controllerContact, selection: s, keys, interrupted, fromProblem };
  });
}

/** A notice of the run: to send, or held back (uncertain or failed before, and not asked to be sent again). */
interface Candidate {
  notice: PendingNotice;
  messageId: string;
  held?: SendOutcome;
}

/**
 * The notices of a run, soonest due first, a page at a time (so a backlog of any size takes one
 * page of memory): the pending notices of the people named, less those a person must settle
 * first, up to `limit` sent.
 */
async function* candidates(db: Db, plan: SendPlan): AsyncGenerator<Candidate> {
  const s = plan.selection;
  let sending = 0;
  for await (const page of pendingNoticePages(db.kysely)) {
    const mine = plan.keys.size ? page.filter((p) => plan.keys.has(p.to.toLowerCase())) : page;
    const withIds = mine.map((notice) => ({ notice, messageId: noticeMessageId(notice, plan.context.databaseId) }));
    const known = await deliveriesOf(db.kysely, withIds.map((m) => m.messageId));
    for (const m of withIds) {
      const d = known.get(m.messageId);
      // A corrected address is a new message to a new place: what failed for the old one says nothing of it.
      const sameAddress = d?.address.toLowerCase() === m.notice.to.toLowerCase();
      if (d?.state === 'uncertain' && !s.resendUncertain) yield { ...m, held: outcome(m.notice, plan.context, m.messageId, 'held: uncertain', d.reason) };
      else if (d?.state === 'failed' && sameAddress && !s.retryFailed) yield { ...m, held: outcome(m.notice, plan.context, m.messageId, 'held: failed', d.reason) };
      else if (s.limit !== undefined && sending >= s.limit) return;
      else {
        sending++;
        yield m;
      }
    }
  }
}

function outcome(n: PendingNotice, c: NoticeContext, messageId: string, state: SendOutcome['state'], reply: string | null): SendOutcome {
  return { to: n.to, name: n.name, disclosure: n.disclosure, kind: n.kind, role: n.role, subject: noticeSubject(n, c), message_id: messageId, state, reply };
}

/** A report with nothing counted yet. */
export function emptyReport(): SendReport {
  return { sent: 0, unsent: 0, held: 0, failed: 0, deferred: 0, uncertain: 0 };
}

/** What a dry run prints: every notice the run would send, and those it holds back. */
export async function* dryRunOutcomes(db: Db, plan: SendPlan): AsyncGenerator<SendOutcome> {
  for await (const c of candidates(db, plan)) yield c.held ?? outcome(c.notice, plan.context, c.messageId, 'would send', null);
}

export interface SendHooks {
  /** The time now (each message is dated and recorded when it is sent). */
  now(): string;
  /** Waits before the next try of a message the server put off (4xx) or a lost connection. */
  sleep(ms: number): Promise<void>;
  /** The waits between tries: one try more than there are waits. */
  retryDelays: number[];
  /** Called after each message, for a progress bar. */
  advance?(): void;
  /** Where the run went, for the export record (the mail server, its password masked). */
  destination: string;
}

/** What a run did, counted as it goes (the outcomes themselves are streamed, not kept). */
export interface SendReport {
  sent: number;
  /** Every notice of the run not sent: failed, put off, uncertain, held back or left by a stopped run. */
  unsent: number;
  /** Held back from earlier runs (uncertain or failed), and not asked to be sent again. */
  held: number;
  failed: number;
  deferred: number;
  uncertain: number;
  /** Why the run stopped before the end (the server was lost), if it did. */
  stopped?: string;
}

/**
 * Sends each planned notice as one message (P9), recording exactly what the server accepted:
 * a message is marked `sending` in a transaction of its own before it goes, and a notice is
 * recorded (with its Message-ID and the server's reply) only once the server accepted it. A 4xx
 * reply or a lost connection is tried again after a wait; a 5xx marks the notice failed and the
 * run goes on; a connection that fails after the whole message went leaves it uncertain (never
 * sent again by itself, never counted as told). A server lost for good stops the run. One export
 * record and audit entry for the run: the count and sha256 of the messages accepted. Yields
 * what happened to each notice as it happens, counting into `report`.
 */
export async function* sendNotices(db: Db, stamp: Stamp, mailer: Mailer, plan: SendPlan, hooks: SendHooks, report: SendReport): AsyncGenerator<SendOutcome> {
  const hash = createHash('sha256');
  let attempted = 0;
  const all = candidates(db, plan);
  for await (const { notice, messageId, held } of all) {
    if (held) {
      report.unsent++;
      report.held++;
      if (held.state === 'held: uncertain') report.uncertain++;
      yield held;
      continue;
    }
    // Connect (greet, TLS, log in) before the first message: a server that cannot be used gets nothing marked.
    if (!attempted) await mailer.verify();
    const startedAt = hooks.now();
    const message = noticeMessage(notice, plan.context, startedAt);
    await inTransaction(db, (trx) => markSending(trx, { messageId, notice, at: startedAt }));
    attempted++;
    let failure: SendFailure | undefined;
    let reply: string | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        reply = await mailer.send(plan.from, notice.to, message);
        failure = undefined;
        break;
      } catch (err) {
        if (!(err instanceof SendFailure)) throw err;
        failure = err;
        const again = (err.kind === 'temporary' || err.kind === 'unsent') && attempt < hooks.retryDelays.length;
        if (!again) break;
        await hooks.sleep(hooks.retryDelays[attempt]!);
      }
    }
    const at = hooks.now();
    if (reply !== undefined) {
      await inTransaction(db, async (trx) => {
        await insertNotices(trx, stamp.actor, at, [{ notice, channel: 'email', at, messageId, reply }]);
        await settleDelivery(trx, messageId, 'sent', reply!, at);
      });
      hash.update(message);
      report.sent++;
      yield outcome(notice, plan.context, messageId, 'sent', reply);
    } else {
      const f = failure!;
      const state = f.kind === 'permanent' ? 'failed' : f.kind === 'uncertain' ? 'uncertain' : 'deferred';
      await inTransaction(db, (trx) => settleDelivery(trx, messageId, state, f.reply, at));
      report[state]++;
      report.unsent++;
      yield outcome(notice, plan.context, messageId, state, f.reply);
      if (f.kind === 'unsent') {
        // Every try failed to reach the server: the rest stay pending, untouched, for the next run.
        report.stopped = `lost the mail server after ${report.sent} sent: ${f.reply}`;
        hooks.advance?.();
        for await (const rest of all) {
          report.unsent++;
          if (rest.held) report.held++;
          yield rest.held ?? outcome(rest.notice, plan.context, rest.messageId, 'not sent', null);
        }
        break;
      }
    }
    hooks.advance?.();
  }
  if (attempted) {
    await inTransaction(db, (trx) =>
      recordExport(trx, stamp, {
        kind: 'notice email',
        purpose: 'notice (P9)',
        audience: 'the people concerned',
        rowCount: report.sent,
        sha256: hash.digest('hex'),
        destination: hooks.destination,
        summary: `notice send: sent ${report.sent}, failed ${report.failed}, deferred ${report.deferred}, uncertain ${report.uncertain}${plan.interrupted ? ` (${plan.interrupted} left sending by a run that stopped)` : ''}${report.stopped ? `; stopped: ${report.stopped}` : ''}`,
      }),
    );
  }
}

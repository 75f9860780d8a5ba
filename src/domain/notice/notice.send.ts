import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/transaction.js';
import { UsageError } from '../../errors.js';
import { SendFailure, type Mailer } from '../../io/smtp.js';
import type { Stamp } from '../audit/audit.service.js';
import { syncCreditDisclosures } from '../disclosure/disclosure.service.js';
import { normaliseEmail } from '../shared/email.js';
import { requirePersonKey } from '../member/member.repo.js';
import { recordExport } from '../export/export.repo.js';
import { SETTINGS, isSet } from '../settings/settings.service.js';
import { noticeMessage, noticeMessageId, noticeSubject, type NoticeContext } from './notice.render.js';
import { writeGivenNotices } from './notice.service.js';
import { claimSending, deliveriesOf, markInterruptedUncertain, pendingNoticePages, readSendLease, releaseSendLease, settleDelivery, writeSendLease, type PendingNotice, type SendLease } from './notice.repo.js';
import { ConflictError } from '../../errors.js';
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
  /** This run's lease (a real run holds one from its plan until releaseSend). */
  lease?: SendLease;
}

/** How long a lease lives without being renewed before another run may take over (a run renews it with every message). */
const LEASE_MS = 120_000;

/** Whether the run that holds a lease is still there: on this machine, its process; elsewhere, a lease renewed lately. */
function leaseAlive(lease: SendLease, now: string, self: { pid: number; host: string }): boolean {
  if (lease.host === self.host) {
    if (lease.pid === self.pid) return false;
    try {
      process.kill(lease.pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return Date.parse(now) - Date.parse(lease.renewed) < LEASE_MS;
}

/** Why controller-contact cannot be the From of a notice, if it cannot: unset, no address, or an address nobody reads. */
function fromProblemOf(contact: string, set: boolean): string | undefined {
  if (!set || contact === SETTINGS['controller-contact']!.default) return `controller-contact is ${set ? `a placeholder (${contact})` : 'not set'}: notices would come from an address nobody reads`;
  const e = normaliseEmail(contact);
  if ('error' in e) return `controller-contact '${contact}' is not a mail address (${e.error}): nobody could reply to a notice`;
  const domain = e.key.split('@')[1]!;
  if (/(^|\.)(example|invalid|test|localhost)$/.test(domain) || /(^|\.)example\.(com|net|org)$/.test(domain)) return `controller-contact is a placeholder (${contact}): a reserved example domain nobody reads`;
  return undefined;
}

/**
 * Gets a run ready: brings planned credits in step, turns messages an earlier run left `sending`
 * into uncertain ones, and checks the people named. A real run refuses while controller-contact,
 * the From of every notice, is unset or a placeholder.
 */
export async function planSend(db: Db, stamp: Stamp, s: SendSelection, self: { pid: number; host: string } = { pid: process.pid, host: hostname() }): Promise<SendPlan> {
  return inTransaction(db, async (trx) => {
    await syncCreditDisclosures(trx, stamp);
    // One run at a time: a second would send what the first is sending, and take its messages for a dead run's.
    const held = await readSendLease(trx);
    if (!s.dryRun && held && leaseAlive(held, new Date().toISOString(), self)) {
      throw new ConflictError(`notice send is already running (process ${held.pid} on ${held.host}, since ${held.since})`, 'wait for it to finish; a run that is gone lets go after two minutes');
    }
    const lease = s.dryRun ? undefined : { ...self, since: stamp.at, renewed: new Date().toISOString() };
    if (lease) await writeSendLease(trx, lease);
    const interrupted = s.dryRun ? 0 : await markInterruptedUncertain(trx, stamp.at);
    const context = await noticeContext(trx, stamp.at);
    const fromProblem = fromProblemOf(context.controllerContact, await isSet(trx, 'controller-contact'));
    if (fromProblem && !s.dryRun) throw new UsageError(fromProblem, 'consort config set controller-contact privacy@your-consortium.org, and controller-name');
    const keys = new Set<string>();
    for (const email of s.emails) {
      keys.add(await requirePersonKey(trx, email, 'see consort notice pending'));
    }
    return { context, from: context.controllerContact, selection: s, keys, interrupted, fromProblem, lease };
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
  for await (const page of pendingNoticePages(db)) {
    const mine = plan.keys.size ? page.filter((p) => plan.keys.has(p.to.toLowerCase())) : page;
    const withIds = mine.map((notice) => ({ notice, messageId: noticeMessageId(notice, plan.context.databaseId) }));
    const known = await deliveriesOf(db.kysely, withIds.map((m) => m.messageId));
    for (const m of withIds) {
      const d = known.get(m.messageId);
      // A corrected address is a new message to a new place: what failed for the old one says nothing of it.
      const sameAddress = d?.address.toLowerCase() === m.notice.to.toLowerCase();
      // A message left `sending` is uncertain too (a dry run does not mark it so): the run that sent it is gone.
      if ((d?.state === 'uncertain' || d?.state === 'sending') && !s.resendUncertain) yield { ...m, held: outcome(m.notice, plan.context, m.messageId, 'held: uncertain', d.reason) };
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

/** Gives back the run's lease (after the run, whatever happened). */
export async function releaseSend(db: Db, plan: SendPlan): Promise<void> {
  const lease = plan.lease;
  if (lease) await inTransaction(db, (trx) => releaseSendLease(trx, lease));
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
    const lease = plan.lease;
    const claimed = await inTransaction(db, async (trx) => {
      if (lease) await writeSendLease(trx, { ...lease, renewed: new Date().toISOString() });
      return claimSending(trx, { messageId, notice, at: startedAt });
    });
    if (!claimed) continue;
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
        await writeGivenNotices(trx, stamp.actor, at, [{ notice, channel: 'email', at, messageId, reply }]);
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

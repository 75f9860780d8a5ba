import type { Context } from '../context.js';
import type { Db } from '../db/connection.js';
import { dryRunOutcomes, emptyReport, releaseSend, sendNotices, type SendOutcome, type SendPlan } from '../domain/notice/notice.send.js';
import { CheckFailedError, MailServerError } from '../errors.js';
import { renderList, type Column, type ListFormat } from '../io/format.js';
import { smtpMailer } from '../io/smtp.js';
import type { SmtpTarget } from '../domain/settings/smtp-url.js';
import { stamp } from './action.js';

/** One row per notice: what happened to it (or, in a dry run, would). */
const COLUMNS: Column<SendOutcome>[] = [
  { header: 'state', value: (r) => r.state },
  { header: 'to', value: (r) => r.to },
  { header: 'disclosure', value: (r) => r.disclosure },
  { header: 'kind', value: (r) => r.kind },
  { header: 'message id', value: (r) => r.message_id },
  { header: 'reply', value: (r) => r.reply, kind: 'text' },
];

/** notice send --dry-run (or with no server set): what would be sent to whom, and what is held back; nothing is sent. */
export async function dryRun(ctx: Context, db: Db, plan: SendPlan, format: ListFormat): Promise<void> {
  if (plan.fromProblem) ctx.out.warn(`${plan.fromProblem}; a real run refuses until it is set`);
  const counts = { send: 0, held: 0 };
  const counted = async function* (rows: AsyncIterable<SendOutcome>) {
    for await (const r of rows) {
      counts[r.state === 'would send' ? 'send' : 'held']++;
      yield r;
    }
  };
  await renderList(ctx.out, format, COLUMNS, counted(dryRunOutcomes(db, plan)), { empty: 'no pending notices to send' });
  ctx.out.info(`would send ${counts.send}${counts.held ? `, holding back ${counts.held} (uncertain or failed)` : ''}; nothing was sent`);
}

/**
 * notice send: every planned notice through the mail server, a row written as each is settled,
 * a progress bar on a terminal, the summary on stderr; exit 8 when the server was lost, 3 when
 * some were not sent.
 */
export async function sendAll(ctx: Context, db: Db, plan: SendPlan, format: ListFormat, smtp: { target: SmtpTarget; shown: string }, retry: number): Promise<void> {
  const mailer = await smtpMailer(smtp.target, smtp.shown);
  const { startProgress } = await import('../io/progress.js');
  const progress = await startProgress(ctx.out, 'sending', undefined);
  const report = emptyReport();
  try {
    const outcomes = sendNotices(db, stamp(ctx), mailer, plan, {
      now: () => ctx.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      retryDelays: [retry, 3 * retry],
      advance: () => progress.advance(1),
      destination: smtp.shown,
    }, report);
    // The first outcome before any output: a server that cannot be used (exit 8) leaves stdout empty.
    const first = await outcomes.next();
    const rows = async function* () {
      if (first.done) return;
      yield first.value;
      yield* outcomes;
    };
    // Each row is written out as its message is settled, not kept: memory stays flat however many are sent.
    await renderList(ctx.out, format, COLUMNS, rows(), { empty: 'no pending notices to send' });
  } finally {
    progress.stop();
    mailer.close();
    await releaseSend(db, plan);
  }
  if (!report.sent && !report.unsent) return;
  const held = report.held;
  ctx.out.info(`sent ${report.sent}, failed ${report.failed}, uncertain ${report.uncertain}${report.deferred ? `, put off ${report.deferred}` : ''}${held ? ` (${held} held back from earlier runs)` : ''}`);
  if (report.stopped) throw new MailServerError(report.stopped, 'the rest are still pending: run consort notice send again once the server is back');
  if (report.unsent) throw new CheckFailedError(`${report.unsent} notice${report.unsent === 1 ? ' was' : 's were'} not sent`, 'see consort disclosures check for what to do with each');
}

import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { listFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg, positiveInt, stamp } from '../../cli/action.js';

interface SendOptions {
  allPending?: boolean;
  dryRun?: boolean;
  limit?: number;
  resendUncertain?: boolean;
  retryFailed?: boolean;
}

export function registerNoticeSend(notice: Command, streams: Streams) {
  notice
    .command('send')
    .argument('[person...]', `only these people's pending notices: ${PERSON_ARG_HELP}`)
    .option('--all-pending', 'every pending notice')
    .option('--dry-run', 'connect to nothing: list what would be sent to whom')
    .option('--limit <n>', 'send at most N notices this run', positiveInt('--limit'))
    .option('--resend-uncertain', 'send again the notices a stopped run left uncertain (the person may get a second copy)')
    .option('--retry-failed', 'send again the notices the server refused for good (after fixing the address)')
    .description('send each pending notice as one email over SMTP, and record exactly what the server accepted')
    .addHelpText(
      'after',
      `
The server: consort config set smtp-url smtp://[user@]host:587 (STARTTLS required) or
smtps://[user@]host:465; CONSORT_SMTP_URL overrides it for one run. ?tls=off is allowed for a
server on the loopback only. The password never goes into the database: CONSORT_SMTP_PASSWORD,
or CONSORT_SMTP_PASSWORD_FILE naming a file only its owner can read. From is controller-contact
(with controller-name), which must be set to an address people can write to.

A notice is recorded as given (channel email, the time, its Message-ID and the server's reply)
only once the server accepted the message. A 4xx reply is tried again (CONSORT_SMTP_RETRY_MS
between tries, 2000 by default); a 5xx marks the notice failed (disclosures check shows it as
notice-failed). If a run stops between the server's acceptance and the record, the next run
does not send that notice again: it reports it as uncertain, for notice record (after a look at
the mail log) or --resend-uncertain.

Output: one row per notice (state, to, disclosure, kind, message id, reply); a summary on stderr.
Exit 0 when all were sent; 3 when some failed, were put off, or are uncertain; 8 when the mail
server cannot be reached (nothing recorded) or was lost during the run (the rest stay pending).

Examples:
  consort notice send --dry-run --all-pending
  CONSORT_SMTP_PASSWORD_FILE=~/.consort-smtp consort notice send --all-pending
  consort notice send ada@example.org`,
    )
    .action(
      action<SendOptions>(streams, async (ctx, emails, o) => {
        const { planSend } = await import('../../domain/notice/notice.send.js');
        const list = (emails as unknown as string[][])[0] ?? [];
        if (Boolean(o.allPending) === Boolean(list.length)) throw new UsageError(o.allPending ? 'give --all-pending or EMAILs, not both' : 'say whose notices to send', 'give EMAILs, or --all-pending for every pending notice');
        const format = listFormat(ctx.out, ctx.format);
        const db = await ctx.db();
        const people = [];
        for (const ref of list) people.push(await personArg(ctx, ref));
        // The mail server first: a URL or password that cannot work is a usage error before anything is planned.
        const { resolveSmtpTarget, smtpRetryMs } = await import('../../io/smtp.js');
        const { dryRun, sendAll } = await import('../../cli/notice-send.js');
        const { getSetting } = await import('../../domain/settings/settings.service.js');
        const smtp = o.dryRun ? undefined : resolveSmtpTarget(ctx.streams.env, await getSetting(db.kysely, 'smtp-url'));
        const retry = smtpRetryMs(ctx.streams.env);
        const plan = await planSend(db, stamp(ctx), { emails: people, limit: o.limit, resendUncertain: o.resendUncertain, retryFailed: o.retryFailed, dryRun: o.dryRun });
        if (plan.interrupted) ctx.out.warn(`${plan.interrupted} notice${plan.interrupted === 1 ? ' was' : 's were'} being sent when a run stopped: uncertain, not sent again (check the mail log, then consort notice record, or --resend-uncertain)`);
        if (o.dryRun || !smtp) return dryRun(ctx, db, plan, format);
        await sendAll(ctx, db, plan, format, smtp, retry);
      }),
    );
}

import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { startProgress } from '../../io/progress.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, stamp } from '../../cli/action.js';

export function registerNewsletterExport(newsletter: Command, streams: Streams) {
  newsletter
    .command('export')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('everyone whose latest newsletter consent is a grant: members who have not unsubscribed, contacts who asked')
    .addHelpText(
      'after',
      `
Formats (--format): lines (default; one address a line), rfc5322 ("Name" <email>, non-ASCII
names as RFC 2047 encoded-words), csv (name,email), json, ndjson ({"name","email"}).
Streamed: memory does not grow with the list. Every export is recorded (count, sha256) and audited.

Examples:
  consort newsletter export --format rfc5322 -o /var/spool/mailer/list.txt
  consort newsletter export --format ndjson | jq -r .email`,
    )
    .action(
      action<{ output?: string }>(streams, async (ctx, _args, o) => {
        const { exportNewsletter } = await import('../../domain/newsletter/newsletter.service.js');
        const { NEWSLETTER_FORMATS } = await import('../../domain/newsletter/newsletter.render.js');
        const format = pickFormat(ctx.format, NEWSLETTER_FORMATS, 'lines');
        const db = await ctx.db();
        const sink = await outputSink(ctx.out, o.output);
        const progress = o.output ? await startProgress(ctx.out, 'exporting', undefined) : undefined;
        let last = 0;
        try {
          const r = await exportNewsletter(db, stamp(ctx), format, sink, (n) => {
            progress?.advance(n - last);
            last = n;
          });
          progress?.stop();
          ctx.out.info(`exported ${r.count} newsletter recipients${r.destination ? ` to ${r.destination}` : ''} (sha256 ${r.sha256})`);
        } finally {
          progress?.stop();
        }
      }),
    );
}

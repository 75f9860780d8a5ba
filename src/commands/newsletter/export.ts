import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { startProgress } from '../../io/progress.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, stamp } from '../../cli/action.js';
import { NEWSLETTER_FORMAT_FIELDS, NEWSLETTER_FORMATS } from '../../domain/newsletter/newsletter.render.js';

/** Words filled into lines of at most `width` characters. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** The formats paragraph of the help, from the renderer's list: the first is the default. */
const FORMATS_HELP = wrap(`Formats (--format): ${NEWSLETTER_FORMATS.map((f, i) => [f, [i ? undefined : 'default', NEWSLETTER_FORMAT_FIELDS[f]].filter(Boolean).join('; ')]).map(([f, about]) => (about ? `${f} (${about})` : f)).join(', ')}.`, 96);

export function registerNewsletterExport(newsletter: Command, streams: Streams) {
  newsletter
    .command('export')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('everyone whose latest newsletter consent is a grant: members who have not unsubscribed, contacts who asked')
    .addHelpText(
      'after',
      `
${FORMATS_HELP}
Streamed: memory does not grow with the list. Every export is recorded (count, sha256) and audited.

Examples:
  consort newsletter export --format rfc5322 -o /var/spool/mailer/list.txt
  consort newsletter export --format ndjson | jq -r .email`,
    )
    .action(
      action<{ output?: string }>(streams, async (ctx, _args, o) => {
        const { exportNewsletter } = await import('../../domain/newsletter/newsletter.service.js');
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

import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, stamp } from '../../cli/action.js';

export function registerNoticeExport(notice: Command, streams: Streams) {
  notice
    .command('export')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('drafts of every pending notice for another mailer: --format mbox (default), ndjson or csv')
    .addHelpText(
      'after',
      `
mbox holds RFC 5322 messages (From, To, Subject, Date, Message-ID; UTF-8 bodies in base64).
Each notice has a Message-ID of its own, the same in every draft of it. Drafts are not notices:
once your mailer has sent the file, record exactly the messages in it by their Message-IDs.
To send from consort itself, use consort notice send.

Example:
  consort notice export -o drafts.mbox && your-mailer drafts.mbox && consort notice record --from drafts.mbox`,
    )
    .action(
      action<{ output?: string }>(streams, async (ctx, _args, o) => {
        const { exportNoticeDrafts } = await import('../../domain/notice/notice.service.js');
        const { NOTICE_FORMATS } = await import('../../domain/notice/notice.render.js');
        const format = pickFormat(ctx.format, NOTICE_FORMATS, 'mbox');
        const db = await ctx.db();
        const sink = await outputSink(ctx.out, o.output);
        const r = await exportNoticeDrafts(db, stamp(ctx), format, sink);
        ctx.out.info(`${r.count} notice drafts`);
      }),
    );
}

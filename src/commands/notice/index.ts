import type { Command } from 'commander';
import { listFormat, pickFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, positiveInt, stamp } from '../action.js';

export function registerNotice(program: Command, streams: Streams) {
  const notice = program.command('notice').description('telling people before information about them is released (P9)');
  notice
    .command('pending')
    .description('who must be told of what (facts, audience, date) and by when')
    .action(
      action(streams, async (ctx) => {
        const { listPendingNotices } = await import('../../domain/notice/notice.service.js');
        const format = listFormat(ctx.out, ctx.format);
        const rows = await listPendingNotices(await ctx.db(), stamp(ctx));
        await renderList(ctx.out, format, [
          { header: 'inform by', value: (n) => n.inform_by },
          { header: 'to', value: (n) => n.to },
          { header: 'role', value: (n) => n.role },
          { header: 'disclosure', value: (n) => n.disclosure },
          { header: 'kind', value: (n) => n.kind },
          { header: 'audience', value: (n) => n.recipient ?? n.audience },
          { header: 'due', value: (n) => n.due_on },
          { header: 'facts', value: (n) => Object.entries(n.facts).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${String(v)}`).join('; ') },
        ], rows);
      }),
    );
  notice
    .command('export')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('drafts of every pending notice for a mailer: --format mbox (default), ndjson or csv')
    .addHelpText('after', '\nmbox holds RFC 5322 messages (From, To, Subject, Date, Message-ID; UTF-8 bodies in base64).\nDrafts are not notices: after sending, run consort notice record --all-pending.\n\nExample:\n  consort notice export -o drafts.mbox && send-mbox drafts.mbox && consort notice record --all-pending')
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
  notice
    .command('record')
    .argument('[email]', 'who was informed (needed with --disclosure; else everyone concerned)')
    .option('--disclosure <id>', 'of one disclosure', positiveInt('--disclosure'))
    .option('--document <slug>', "of a document's credits")
    .option('--all-pending', 'of every pending notice (of EMAIL, or of everyone)')
    .option('--channel <channel>', 'how: email, letter, phone, meeting…', 'email')
    .option('--at <time>', 'when (ISO 8601; default now): a notice given earlier, not before what it tells of was there')
    .description('record that people were told')
    .addHelpText('after', '\nExamples:\n  consort notice record ada@example.org --document qti-3 --channel email\n  consort notice record --all-pending')
    .action(
      action<{ disclosure?: number; document?: string; allPending?: boolean; channel: string; at?: string }>(streams, async (ctx, [email], o) => {
        const { recordNotices } = await import('../../domain/notice/notice.service.js');
        const r = await recordNotices(await ctx.db(), stamp(ctx), { email, ...o });
        ctx.out.info(`recorded ${r.length} notice${r.length === 1 ? '' : 's'}`);
        await renderList(ctx.out, listFormat(ctx.out, ctx.format), [
          { header: 'to', value: (n) => n.to },
          { header: 'disclosure', value: (n) => n.disclosure },
          { header: 'kind', value: (n) => n.kind },
          { header: 'role', value: (n) => n.role },
          { header: 'channel', value: (n) => n.channel },
          { header: 'at', value: (n) => n.at },
        ], r);
      }),
    );
}

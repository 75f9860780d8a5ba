import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg, positiveInt, stamp } from '../../cli/action.js';

interface RecordOptions {
  from?: string;
  disclosure?: number;
  document?: string;
  channel: string;
  at?: string;
  skipInvalid?: boolean;
}

export function registerNoticeRecord(notice: Command, streams: Streams) {
  notice
    .command('record')
    .argument('[person]', `who was told (with --disclosure or --document): ${PERSON_ARG_HELP}`)
    .option('--from <file>', 'the mbox another mailer sent (from notice export): records exactly its notices, by Message-ID')
    .option('--disclosure <id>', 'EMAIL was told of this disclosure', positiveInt('--disclosure'))
    .option('--document <slug>', 'EMAIL was told of their credit in this document')
    .option('--channel <channel>', 'how: email, letter, phone, meeting…', 'email')
    .option('--at <time>', 'when (ISO 8601; default now): a notice given earlier, not before what it tells of was there')
    .option('--skip-invalid', 'with --from: record the notices of this database and report the other messages')
    .description('record that people were told by other means than notice send')
    .addHelpText(
      'after',
      `
With --from, a message whose Message-ID this database did not write (another database's, or
one added by hand) stops the whole file: nothing is recorded, each such message is reported.
A notice recorded already, or no longer pending, is reported and changes nothing.

Examples:
  consort notice record --from drafts.mbox
  consort notice record ada@example.org --document qti-3 --channel letter --at 2026-03-01T09:00:00Z
  consort notice record ada@example.org --disclosure 12 --channel phone`,
    )
    .action(
      action<RecordOptions>(streams, async (ctx, [email], o) => {
        const service = await import('../../domain/notice/notice.service.js');
        if (o.from !== undefined) {
          if (email || o.disclosure !== undefined || o.document !== undefined) throw new UsageError('--from records the notices of a file: give no EMAIL, --disclosure or --document with it');
          const { openInput } = await import('../../io/input/open.js');
          const { readMbox } = await import('../../io/mbox.js');
          const input = openInput(o.from, ctx.streams);
          const r = await service.recordNoticesFromMbox(await ctx.db(), stamp(ctx), input.name, readMbox(input), o);
          for (const p of r.problems) ctx.out.warn(`${p.source}:${p.line}: ${p.reason}; not recorded`);
          const not = r.outcomes.filter((x) => x.outcome === 'already recorded' || x.outcome === 'no longer pending');
          for (const x of not) ctx.out.info(`${input.name}:${x.line}: ${x.message_id} ${x.outcome}; nothing changed`);
          ctx.out.info(`recorded ${r.recorded} notice${r.recorded === 1 ? '' : 's'} from ${input.name}`);
          await renderList(ctx.out, listFormat(ctx.out, ctx.format), [
            { header: 'line', value: (x) => x.line },
            { header: 'message id', value: (x) => x.message_id },
            { header: 'outcome', value: (x) => x.outcome },
          ], r.outcomes);
          return;
        }
        if (!email) throw new UsageError('missing EMAIL', 'name who was told, with --disclosure ID or --document SLUG; or give --from FILE.mbox');
        const r = await service.recordNotices(await ctx.db(), stamp(ctx), { ...o, email: await personArg(ctx, email) });
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

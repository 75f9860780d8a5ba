import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

export function registerNoticePending(notice: Command, streams: Streams) {
  notice
    .command('pending')
    .description('who must be told of what (facts, audience, date) and by when')
    .action(
      action(streams, async (ctx) => {
        const { listPendingNotices } = await import('../../domain/notice/notice.service.js');
        const format = listFormat(ctx.out, ctx.format);
        const pages = await listPendingNotices(await ctx.db(), stamp(ctx));
        await renderList(ctx.out, format, [
          { header: 'inform by', value: (n) => n.inform_by },
          { header: 'to', value: (n) => n.to },
          { header: 'role', value: (n) => n.role },
          { header: 'disclosure', value: (n) => n.disclosure },
          { header: 'kind', value: (n) => n.kind },
          { header: 'audience', value: (n) => n.recipient ?? n.audience },
          { header: 'due', value: (n) => n.due_on },
          { header: 'facts', value: (n) => Object.entries(n.facts).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${String(v)}`).join('; ') },
        ], { pages });
      }),
    );
}

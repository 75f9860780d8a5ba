import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, positiveInt, TIME_FLAG_HELP, timeFlag } from '../../cli/action.js';

export function registerAuditList(audit: Command, streams: Streams) {
  audit
    .command('list')
    .option('--since <time>', `entries at or after TIME: ${TIME_FLAG_HELP}`)
    .option('--until <time>', 'entries before TIME (as --since)')
    .option('--limit <n>', 'the newest N entries', positiveInt('--limit'))
    .option('--reverse', 'the other order: oldest first on a terminal, newest first in tsv/csv/json/ndjson')
    .description("list audit entries: newest first on a terminal (as git log), in the chain's order (oldest first) in machine formats; --actor NAME lists only that actor's entries")
    .addHelpText('after', '\nExamples:\n  consort audit list --since yesterday\n  consort audit list --limit 5\n  consort audit list --since 2026-01-01 --format json')
    .action(
      action<{ since?: string; until?: string; limit?: number; reverse?: boolean }>(streams, async (ctx, _args, o) => {
        const { listAudit } = await import('../../domain/audit/audit.service.js');
        const since = timeFlag(ctx, '--since', o.since);
        const until = timeFlag(ctx, '--until', o.until);
        const format = listFormat(ctx.out, ctx.format);
        // A person reads the newest first; a program keeps the chain's order, as it always had.
        const newestFirst = (format === 'table') !== Boolean(o.reverse);
        // The global --actor (who acts) doubles as the filter here: listing changes nothing.
        const rows = await listAudit(await ctx.db(), { since, until, actor: ctx.options.actor, limit: o.limit, newestFirst });
        await renderList(ctx.out, format, [
          { header: 'seq', value: (r) => r.seq },
          { header: 'at', value: (r) => r.at },
          { header: 'actor', value: (r) => r.actor },
          { header: 'command', value: (r) => r.command },
          { header: 'summary', value: (r) => r.summary },
        ], rows, { empty: 'no audit entries match' });
      }),
    );
}

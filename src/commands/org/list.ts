import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerOrgList(org: Command, streams: Streams) {
  org
    .command('list')
    .option('--member', 'member organisations only')
    .option('--non-member', 'non-member organisations only')
    .description('list organisations (table on a terminal, TSV when piped; --format csv|json|ndjson)')
    .action(
      action<{ member?: boolean; nonMember?: boolean }>(streams, async (ctx, _args, o) => {
        const { listOrgs } = await import('../../domain/org/org.service.js');
        const { ORG_COLUMNS } = await import('../../domain/org/org.render.js');
        const format = listFormat(ctx.out, ctx.format);
        const rows = await listOrgs(await ctx.db(), { member: o.member ? true : o.nonMember ? false : undefined });
        await renderList(ctx.out, format, ORG_COLUMNS, rows, { empty: 'no organisations match' });
      }),
    );
}

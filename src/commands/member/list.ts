import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, positiveInt } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerMemberList(member: Command, streams: Streams) {
  member
    .command('list')
    .option('--status <status>', 'member, contact or former')
    .option('--org <org>', 'people of one organisation')
    .option('--search <text>', 'name or email contains TEXT (case-insensitive)')
    .option('--limit <n>', 'at most N people', positiveInt('--limit'))
    .description('list people (table on a terminal, TSV when piped; --format csv|json|ndjson)')
    .addHelpText('after', '\nExample:\n  consort member list --status member --format csv > members.csv')
    .action(
      action<{ status?: string; org?: string; search?: string; limit?: number }>(streams, async (ctx, _args, o) => {
        const { memberStatusOptions } = await import('../../domain/member/member.schema.js');
        const { status } = parseOptions(memberStatusOptions, o);
        const { listPeople } = await import('../../domain/member/member.service.js');
        const { PERSON_COLUMNS } = await import('../../domain/member/member.render.js');
        const format = listFormat(ctx.out, ctx.format);
        await renderList(ctx.out, format, PERSON_COLUMNS, { pages: listPeople(await ctx.db(), { ...o, status }) }, { empty: 'no people match' });
      }),
    );
}

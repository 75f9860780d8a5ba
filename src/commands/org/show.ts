import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerOrgShow(org: Command, streams: Streams) {
  org
    .command('show')
    .argument('<org>', 'organisation name (any case)')
    .description('show one organisation (text on a terminal, JSON when piped)')
    .action(
      action(streams, async (ctx, [name]) => {
        const { showOrg } = await import('../../domain/org/org.service.js');
        const { orgFields } = await import('../../domain/org/org.render.js');
        const r = await showOrg(await ctx.db(), name!);
        await renderRecord(ctx.out, ctx.format, r, orgFields(r));
      }),
    );
}

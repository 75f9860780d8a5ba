import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerConfigGet(config: Command, streams: Streams) {
  config
    .command('get')
    .argument('<key>')
    .description('print one setting')
    .action(
      action(streams, async (ctx, [key]) => {
        const { getSetting } = await import('../../domain/settings/settings.service.js');
        await ctx.out.data((await getSetting((await ctx.db()).kysely, key!)) + '\n');
        await ctx.out.flush();
      }),
    );
}

import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

export function registerConfigUnset(config: Command, streams: Streams) {
  config
    .command('unset')
    .argument('<key>')
    .description('put one setting back to its default (audited)')
    .addHelpText('after', '\nExample:\n  consort config unset notice-template     # the built-in letter again')
    .action(
      action(streams, async (ctx, [key]) => {
        const { unsetSetting } = await import('../../domain/settings/settings.service.js');
        const r = await unsetSetting(await ctx.db(), stamp(ctx), key!);
        ctx.out.info(`${r.key}: back to its default${r.value ? ` (${r.value})` : ''}`);
      }),
    );
}

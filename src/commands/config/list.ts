import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerConfigList(config: Command, streams: Streams) {
  config
    .command('list')
    .description('every setting, its value and whether it is the default')
    .action(
      action(streams, async (ctx) => {
        const { listSettings } = await import('../../domain/settings/settings.service.js');
        const rows = await listSettings(await ctx.db());
        await renderList(ctx.out, listFormat(ctx.out, ctx.format), [
          { header: 'key', value: (r) => r.key },
          { header: 'value', value: (r) => r.value },
          { header: 'default', value: (r) => (r.default ? 'yes' : 'no') },
          { header: 'about', value: (r) => r.about },
        ], rows);
      }),
    );
}

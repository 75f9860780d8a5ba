import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../action.js';

export function registerConfig(program: Command, streams: Streams) {
  const config = program.command('config').description('settings kept in the database (consort config list shows them all with what they are for)');
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
  config
    .command('set')
    .argument('<key>')
    .argument('<value>')
    .description('change one setting (audited)')
    .addHelpText('after', '\nExample:\n  consort config set notice-days 21')
    .action(
      action(streams, async (ctx, [key, value]) => {
        const { setSetting } = await import('../../domain/settings/settings.service.js');
        const r = await setSetting(await ctx.db(), stamp(ctx), key!, value!);
        ctx.out.info(`${r.key}: ${r.previous} -> ${r.value}`);
      }),
    );
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

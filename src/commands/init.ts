import type { Command } from 'commander';
import type { Streams } from '../io/output.js';
import { action, stamp } from '../cli/action.js';

export function registerInit(program: Command, streams: Streams) {
  program
    .command('init')
    .description('create the database (mode 0600; a directory consort creates is 0700); the only way a database is made, besides demo')
    .addHelpText('after', '\nExample:\n  consort --db ./consort.db init')
    .action(
      action(streams, async (ctx) => {
        const { initDatabase } = await import('../domain/db/db.service.js');
        const r = await initDatabase(ctx, stamp(ctx));
        await ctx.out.data(r.path + '\n');
        ctx.out.info(`created consort database at ${r.path} (schema ${r.migrations.join(', ')})`);
      }),
    );
}

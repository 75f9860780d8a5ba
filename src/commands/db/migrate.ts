import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

export function registerDbMigrate(db: Command, streams: Streams) {
  db.command('migrate')
    .description('bring an older database up to this version of consort')
    .action(
      action(streams, async (ctx) => {
        const { migrateDatabase } = await import('../../domain/db/db.service.js');
        const applied = await migrateDatabase(await ctx.rawDb(false), stamp(ctx));
        ctx.out.info(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
      }),
    );
}

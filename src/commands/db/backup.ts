import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

export function registerDbBackup(db: Command, streams: Streams) {
  db.command('backup')
    .argument('<file>', 'new file to write (never overwritten)')
    .description("copy the database into a new SQLite file, safe while others use it (SQLite's online backup; from PostgreSQL, db copy)")
    .addHelpText('after', '\nExample:\n  consort db backup ~/backups/consort-$(date +%F).db')
    .action(
      action(streams, async (ctx, [file]) => {
        const { backupDatabase } = await import('../../domain/db/db.service.js');
        const r = await backupDatabase(await ctx.db(), stamp(ctx), file!);
        ctx.out.info(`backed up to ${r.path} (${r.bytes} bytes)`);
      }),
    );
}

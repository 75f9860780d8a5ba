import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerDbPath(db: Command, streams: Streams) {
  db.command('path')
    .description('print where the database is (--db, else CONSORT_DB, else $XDG_DATA_HOME/consort/consort.db)')
    .action(action(streams, async (ctx) => ctx.out.data(ctx.dbPath + '\n').then(() => ctx.out.flush())));
}

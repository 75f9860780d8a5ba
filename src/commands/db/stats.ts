import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerDbStats(db: Command, streams: Streams) {
  db.command('stats')
    .description('row counts, file size and schema version')
    .action(
      action(streams, async (ctx) => {
        const { databaseStats } = await import('../../domain/db/db.service.js');
        const s = await databaseStats(await ctx.db());
        await renderRecord(ctx.out, ctx.format, s, [
          ['path', s.path],
          ['bytes', s.bytes],
          ['schema', s.schema],
          ...Object.entries(s.tables).map(([k, v]): [string, unknown] => [k, v]),
          ...Object.entries(s.people).map(([k, v]): [string, unknown] => [`people ${k}`, v]),
        ]);
      }),
    );
}

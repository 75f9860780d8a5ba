import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

export function registerDbCopy(db: Command, streams: Streams) {
  db.command('copy')
    .requiredOption('--to <target>', 'an empty PostgreSQL database (postgres://user[:password]@host[:port]/name), or a new SQLite file')
    .description('copy the whole database into an empty one, SQLite to PostgreSQL or back; checked by row counts and audit verify on the copy')
    .addHelpText(
      'after',
      '\nThe copy is one transaction: it is whole or not there. The source is only read (and its audit log\nrecords the copy). Passwords in URLs are never printed.\n\nExamples:\n  consort db copy --to postgres://consort@db.example.org/consort\n  consort --db postgres://consort@db.example.org/consort db copy --to ./consort.db',
    )
    .action(
      action<{ to: string }>(streams, async (ctx, _args, o) => {
        const { copyDatabase } = await import('../../domain/db/db.copy.js');
        const source = await ctx.db();
        const target = await ctx.openOther(o.to, true);
        try {
          const r = await copyDatabase(source, target, stamp(ctx));
          const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
          ctx.out.info(`copied ${rows} rows in ${Object.keys(r.tables).length} tables to ${r.to}; its audit chain verifies (${r.audit.entries} entries)`);
          await renderRecord(ctx.out, ctx.format, r, [
            ['from', r.from],
            ['to', r.to],
            ...Object.entries(r.tables).map(([t, n]): [string, string] => [t, String(n)]),
            ['audit', `ok, ${r.audit.entries} entries, head ${r.audit.head}`],
          ]);
        } finally {
          await target.close();
        }
      }),
    );
}

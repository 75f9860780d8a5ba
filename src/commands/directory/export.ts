import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, stamp } from '../../cli/action.js';

export function registerDirectoryExport(directory: Command, streams: Streams) {
  directory
    .command('export')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('name, email and organisation of current members, for members only: --format csv (default), tsv, json, ndjson')
    .addHelpText('after', '\nContacts and former members are never in it.\n\nExample:\n  consort directory export -o /srv/members-only/directory.csv')
    .action(
      action<{ output?: string }>(streams, async (ctx, _args, o) => {
        const { exportDirectory, DIRECTORY_FORMATS } = await import('../../domain/directory/directory.service.js');
        const format = pickFormat(ctx.format, DIRECTORY_FORMATS, 'csv');
        const db = await ctx.db();
        const sink = await outputSink(ctx.out, o.output);
        const r = await exportDirectory(db, stamp(ctx), format, sink);
        ctx.out.info(`${r.count} members in the directory`);
      }),
    );
}

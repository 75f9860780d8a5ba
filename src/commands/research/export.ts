import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerResearchExport(research: Command, streams: Streams) {
  research
    .command('export')
    .option('--by <dimension>', 'org, status, month or document', 'status')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('counts of people, members and activities per group: no names, emails or ids; cells below research-min-cell suppressed and marked (--format csv or json)')
    .addHelpText('after', '\nA row with a count from 1 to research-min-cell - 1 is hidden whole: "suppressed" (csv) or null\n(json, listed in "suppressed"). More rows are hidden, smallest first, until in every column the\nhidden cells are all 0, or at least two above 0 that reach research-min-cell together, so no\ntotal (the same in every grouping) minus the rows shown gives back one row or a small number.\nA total is hidden when it is small, or when its column cannot be protected so.\n\nExample:\n  consort research export --by org --format json > by-org.json')
    .action(
      action<{ by: string; output?: string }>(streams, async (ctx, _args, o) => {
        const { exportResearch, RESEARCH_FORMATS } = await import('../../domain/research/research.service.js');
        const format = pickFormat(ctx.format, RESEARCH_FORMATS, 'csv');
        const { researchExportOptions } = await import('../../domain/research/research.schema.js');
        const { by } = parseOptions(researchExportOptions, o);
        const db = await ctx.db();
        const sink = await outputSink(ctx.out, o.output);
        const r = await exportResearch(db, stamp(ctx), by, format, sink);
        ctx.out.info(`${r.rows} groups, ${r.suppressed} cells suppressed`);
      }),
    );
}

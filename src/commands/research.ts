import type { Command } from 'commander';
import { pickFormat } from '../io/format.js';
import type { Streams } from '../io/output.js';
import { outputSink } from '../io/sink.js';
import { action, stamp } from './action.js';

export function registerResearch(program: Command, streams: Streams) {
  const research = program.command('research').description('aggregated, de-identified counts for research (P3)');
  research
    .command('export')
    .option('--by <dimension>', 'org, status, month or document', 'status')
    .option('-o, --output <file>', 'write to FILE atomically')
    .description('counts of people, members and activities per group: no names, emails or ids; cells below research-min-cell suppressed and marked (--format csv or json)')
    .addHelpText('after', '\nA cell from 1 to research-min-cell - 1 is shown as "suppressed" (csv) or null (json, listed in\n"suppressed"); where only one cell of a column would be hidden, a second one is too, so the\ntotal cannot give it back.\n\nExample:\n  consort research export --by org --format json > by-org.json')
    .action(
      action<{ by: string; output?: string }>(streams, async (ctx, _args, o) => {
        const { exportResearch, RESEARCH_FORMATS } = await import('../domain/research/research.service.js');
        const format = pickFormat(ctx.format, RESEARCH_FORMATS, 'csv');
        const db = await ctx.db();
        const sink = await outputSink(ctx.out, o.output);
        const r = await exportResearch(db, stamp(ctx), o.by, format, sink);
        ctx.out.info(`${r.rows} groups, ${r.suppressed} cells suppressed`);
      }),
    );
}

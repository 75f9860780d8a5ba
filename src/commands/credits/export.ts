import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, stamp } from '../../cli/action.js';

export function registerCreditsExport(credits: Command, streams: Streams) {
  credits
    .command('export')
    .argument('<slug>')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('the credit list: the frozen list of the latest release, or before release a preview (noted on stderr)')
    .addHelpText(
      'after',
      `
Formats (--format): text (default; "Name, Company <email>" a line), markdown (an
Acknowledgements section), csv (name,email,company), json, cff (CITATION.cff with an
authors list). Names are sorted with locale-aware collation. Every export is recorded.

Example:
  consort credits export qti-3 --format cff > CITATION.cff`,
    )
    .action(
      action<{ output?: string }>(streams, async (ctx, [slug], o) => {
        const { exportCredits } = await import('../../domain/credits/credits.service.js');
        const { CREDIT_FORMATS } = await import('../../domain/credits/credits.render.js');
        const format = pickFormat(ctx.format, CREDIT_FORMATS, 'text');
        const db = await ctx.db();
        const sink = await outputSink(ctx.out, o.output);
        const r = await exportCredits(db, stamp(ctx), slug!, format, sink);
        if (r.erased) ctx.out.warn(`${r.erased} ${r.erased === 1 ? 'person' : 'people'} credited in edition ${r.edition} ${r.erased === 1 ? 'was' : 'were'} erased since and ${r.erased === 1 ? 'is' : 'are'} left out; the published document itself cannot be recalled`);
        if (r.preview) ctx.out.warn(`${slug} is not released: this is a preview of who would be credited now`);
        ctx.out.info(`exported ${r.count} ${r.count === 1 ? 'credit' : 'credits'}${r.preview ? ' (preview)' : ` (edition ${r.edition})`}`);
      }),
    );
}

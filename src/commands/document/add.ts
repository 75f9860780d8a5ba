import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerDocumentAdd(document: Command, streams: Streams) {
  document
    .command('add')
    .argument('<slug>', 'short name: lower-case letters, digits, . - _')
    .option('--title <title>', 'the title (asked for on a terminal if missing)')
    .option('--release-on <date>', 'release date (YYYY-MM-DD): the document starts scheduled')
    .description('add a document (draft, or scheduled with --release-on)')
    .addHelpText('after', '\nExample:\n  consort document add qti-3 --title "Question and Test Interoperability 3.0" --release-on 2026-06-30')
    .action(
      action<{ title?: string; releaseOn?: string }>(streams, async (ctx, [slug], o) => {
        const { documentAddOptions } = await import('../../domain/document/document.schema.js');
        const { releaseOn } = parseOptions(documentAddOptions(ctx.now().slice(0, 10)), o);
        const { addDocument } = await import('../../domain/document/document.service.js');
        const db = await ctx.db();
        const title = o.title ?? (await ctx.ask('--title', 'Title'));
        const d = await addDocument(db, stamp(ctx), { slug: slug!, title, releaseOn });
        ctx.out.info(`added document ${d.slug} (${d.status})`);
        await renderRecord(ctx.out, ctx.format, d);
      }),
    );
}

import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerDocumentList(document: Command, streams: Streams) {
  document
    .command('list')
    .description('list documents (table on a terminal, TSV when piped; --format csv|json|ndjson)')
    .action(
      action(streams, async (ctx) => {
        const { listDocuments } = await import('../../domain/document/document.service.js');
        const format = listFormat(ctx.out, ctx.format);
        await renderList(ctx.out, format, [
          { header: 'slug', value: (d) => d.slug },
          { header: 'title', value: (d) => d.title },
          { header: 'status', value: (d) => d.status },
          { header: 'release on', value: (d) => d.release_on },
          { header: 'released', value: (d) => d.released_at },
          { header: 'edition', value: (d) => d.edition },
        ], await listDocuments(await ctx.db()), { empty: 'no documents' });
      }),
    );
}

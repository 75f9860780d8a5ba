import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerDocumentShow(document: Command, streams: Streams) {
  document
    .command('show')
    .argument('<slug>')
    .description('show one document with its participant and credit counts')
    .action(
      action(streams, async (ctx, [slug]) => {
        const { showDocument } = await import('../../domain/document/document.service.js');
        await renderRecord(ctx.out, ctx.format, await showDocument(await ctx.db(), slug!));
      }),
    );
}

import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../action.js';

export function registerDocumentRelease(document: Command, streams: Streams) {
  document
    .command('release')
    .argument('<slug>')
    .option('--again', 'release an already released document as a new edition (new disclosures)')
    .description('freeze the credit list: one released credit disclosure per credited person, in one transaction (asks on a terminal; --yes elsewhere)')
    .addHelpText('after', '\nExample:\n  consort document release qti-3 --yes && consort credits export qti-3 --format markdown')
    .action(
      action<{ again?: boolean }>(streams, async (ctx, [slug], o) => {
        const { releaseDocument, documentParticipants, creditsOf } = await import('../../domain/document/document.service.js');
        const db = await ctx.db();
        const preview = creditsOf((await documentParticipants(db.kysely, slug!)).people);
        if (!(await ctx.confirm(`Release ${slug} and publish the credits of ${preview.length} people?`))) {
          ctx.out.info('not released');
          return;
        }
        const r = await releaseDocument(db, stamp(ctx), slug!, { again: o.again });
        ctx.out.info(`released ${r.slug} edition ${r.edition}: ${r.credited} credited${r.notCredited ? `, ${r.notCredited} participants not credited (no consent)` : ''}`);
        await renderRecord(ctx.out, ctx.format, r);
      }),
    );
}

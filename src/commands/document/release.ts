import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerDocumentRelease(document: Command, streams: Streams) {
  document
    .command('release')
    .argument('<slug>')
    .option('--again', 'release an already released document as a new edition (new disclosures)')
    .option('--force', 'release even if a credited person was not told beforehand (P9); needs --reason')
    .option('--reason <text>', 'why --force (audited)')
    .description('freeze the credit list: one released credit disclosure per credited person, in one transaction (asks on a terminal; --yes elsewhere)')
    .addHelpText('after', '\nExample:\n  consort document release qti-3 --yes && consort credits export qti-3 --format markdown')
    .action(
      action<{ again?: boolean; force?: boolean; reason?: string }>(streams, async (ctx, [slug], o) => {
        const { releaseDocument } = await import('../../domain/document/document.service.js');
        const { documentParticipants, creditsOf } = await import('../../domain/document/document.participants.js');
        const { refreshDisclosures } = await import('../../domain/disclosure/disclosure.service.js');
        const { checkDisclosures, untoldIn } = await import('../../domain/disclosure/disclosure.check.js');
        const { p9Gate } = await import('../../domain/disclosure/gate.js');
        const db = await ctx.db();
        const preview = creditsOf((await documentParticipants(db.kysely, slug!)).people);
        // The same warnings as disclosures check, for this document, before anything happens.
        await refreshDisclosures(db, stamp(ctx));
        const check = await checkDisclosures(db, ctx.now().slice(0, 10), 100000);
        const mine = check.problems.filter((x) => x.document === slug);
        for (const p of mine) ctx.out.warn(`${p.code}: ${p.message}`);
        const doc = (await documentParticipants(db.kysely, slug!)).document;
        if (doc.status === 'scheduled' && doc.release_on && doc.release_on > ctx.now().slice(0, 10)) ctx.out.warn(`${slug} is scheduled for ${doc.release_on}: releasing it early`);
        // Refuse before asking: a confirmation that then ends in a refusal helps nobody (the service checks again).
        if (!o.force) await p9Gate(db.kysely, stamp(ctx), `release of ${slug}`, untoldIn(mine));
        parseOptions((await import('../../domain/document/document.schema.js')).documentReleaseOptions, o);
        if (!(await ctx.confirm(`Release ${slug} and publish the credits of ${preview.length} people?`))) {
          ctx.out.info('not released');
          return;
        }
        const r = await releaseDocument(db, stamp(ctx), slug!, { again: o.again, force: o.force, reason: o.reason });
        ctx.out.info(`released ${r.slug} edition ${r.edition}: ${r.credited} credited${r.not_credited ? `, ${r.not_credited} ${r.not_credited === 1 ? 'participant' : 'participants'} not credited (no current credit consent)` : ''}`);
        await renderRecord(ctx.out, ctx.format, r);
      }),
    );
}

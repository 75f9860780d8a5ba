import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../../io/sink.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerAnnounceExport(announce: Command, streams: Streams) {
  announce
    .command('export')
    .option('--through <date>', 'announcements due on or before DATE (default today)')
    .option('--publish', 'release them: they become frozen disclosures (asks on a terminal; --yes elsewhere)')
    .option('--force', 'with --publish: publish even if someone was not told, or their notice period has not ended (P9), with --reason')
    .option('--reason <text>', 'why --force (audited)')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description('new members (name and organisation, never email) and member organisations whose announcement is due: --format markdown (default), json or text')
    .addHelpText('after', '\nWithout --publish it is a draft. --publish refuses (exit 7, P9) while anyone concerned was not told, or was told fewer than notice-days ago, or their announcement is not due yet.\n\nExample:\n  consort announce export --through 2026-04-30 --publish --yes > announcement.md')
    .action(
      action<{ through?: string; publish?: boolean; force?: boolean; reason?: string; output?: string }>(streams, async (ctx, _args, o) => {
        const { exportAnnouncement, publicationGates, announcementThrough, ANNOUNCE_FORMATS } = await import('../../domain/announce/announce.service.js');
        const format = pickFormat(ctx.format, ANNOUNCE_FORMATS, 'markdown');
        const today = ctx.now().slice(0, 10);
        const { announceExportOptions, announcePublishOptions } = await import('../../domain/announce/announce.schema.js');
        const through = announcementThrough(parseOptions(announceExportOptions, o).through, today);
        const db = await ctx.db();
        if (o.publish) {
          // The same warnings as disclosures check, for the announcements, before anything happens.
          const { checkDisclosures } = await import('../../domain/disclosure/disclosure.check.js');
          const { p9Gate, p9NoticePeriodGate } = await import('../../domain/disclosure/gate.js');
          const check = await checkDisclosures(db, today, 100000);
          const mine = check.problems.filter((x) => x.kind === 'announcement' && x.due_on <= through);
          for (const p of mine) ctx.out.warn(`${p.code}: ${p.message}`);
          // Refuse before asking (the service checks again inside its transaction): no one
          // untold, and no one announced before the end of the notice period they were given.
          const { uninformed, early } = await publicationGates(db.kysely, through, today);
          if (!o.force) await p9Gate(db.kysely, stamp(ctx), `announcement through ${through}`, uninformed);
          if (!o.force) await p9NoticePeriodGate(db.kysely, stamp(ctx), `announcement through ${through}`, early);
          parseOptions(announcePublishOptions, o);
          for (const e of early) ctx.out.warn(`${e.who}: the notice period ends ${e.notBefore}; publishing before it (--force)`);
          if (!(await ctx.confirm('Publish the announcement and release these disclosures?'))) return ctx.out.info('not published');
        }
        const sink = await outputSink(ctx.out, o.output);
        const r = await exportAnnouncement(db, stamp(ctx), { through, format, publish: o.publish, force: o.force, reason: o.reason }, sink);
        ctx.out.info(`${r.published ? 'published' : 'draft'}: ${r.members} members, ${r.organisations} organisations through ${r.through}${r.leftOut ? `; ${r.leftOut} left out (consent withdrawn)` : ''}`);
      }),
    );
}

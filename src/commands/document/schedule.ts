import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerDocumentSchedule(document: Command, streams: Streams) {
  document
    .command('schedule')
    .argument('<slug>')
    .requiredOption('--on <date>', 'release date (YYYY-MM-DD)')
    .description('set or move the release date: draft → scheduled; on a released document, schedules its next edition')
    .addHelpText('after', '\nExample:\n  consort document schedule qti-3 --on 2026-07-15')
    .action(
      action<{ on: string }>(streams, async (ctx, [slug], o) => {
        const { documentScheduleOptions } = await import('../../domain/document/document.schema.js');
        const { on } = parseOptions(documentScheduleOptions(ctx.now().slice(0, 10)), o);
        const { scheduleDocument } = await import('../../domain/document/document.service.js');
        const d = await scheduleDocument(await ctx.db(), stamp(ctx), slug!, on);
        ctx.out.info(`document ${d.slug} scheduled for ${d.release_on}`);
        await renderRecord(ctx.out, ctx.format, d);
      }),
    );
}

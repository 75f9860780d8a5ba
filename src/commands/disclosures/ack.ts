import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerDisclosuresAck(disclosures: Command, streams: Streams) {
  disclosures
    .command('ack')
    .argument('<problem-id>', 'the id disclosures check shows, e.g. notice-too-late:d42')
    .requiredOption('--reason <text>', 'why the problem is accepted (audited)')
    .description('accept a reviewed problem: it is shown as acknowledged and stops failing the check until its facts change')
    .addHelpText('after', '\nAn acknowledgement does not lift P9 from a release: document release and announce --publish\nstill refuse anyone untold (they take --force --reason).\n\nExample:\n  consort disclosures ack notice-too-late:d42 --reason "told by phone on 2026-03-01; agreed"')
    .action(
      action<{ reason: string }>(streams, async (ctx, [id], o) => {
        const { acknowledgeProblem } = await import('../../domain/disclosure/disclosure.service.js');
        if (!/^[a-z-]+:[^\s]+$/.test(id!)) throw new UsageError(`'${id}' is not a problem id`, 'ids look like notice-too-late:d42 or participant-without-consent:qti-3:p17 (see consort disclosures check)');
        const { disclosureAckOptions } = await import('../../domain/disclosure/disclosure.schema.js');
        const { reason } = parseOptions(disclosureAckOptions, o);
        const p = await acknowledgeProblem(await ctx.db(), stamp(ctx), id!, reason);
        ctx.out.info(`acknowledged ${p.id}: it no longer fails disclosures check while its facts stay the same`);
        await renderRecord(ctx.out, ctx.format, p);
      }),
    );
}

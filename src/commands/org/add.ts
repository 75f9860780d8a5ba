import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, personArg, stamp } from '../../cli/action.js';

export function registerOrgAdd(org: Command, streams: Streams) {
  org
    .command('add')
    .argument('<name>', 'organisation name (unique, case-insensitive)')
    .option('--member', 'a member organisation (joined today)')
    .option('--domain <domain>', 'its web or mail domain')
    .option('--contact <person>', 'its contact person (an existing person: email or #ID)')
    .description('add an organisation')
    .addHelpText('after', '\nExample:\n  consort org add "Example University" --member --domain example.edu')
    .action(
      action<{ member?: boolean; domain?: string; contact?: string }>(streams, async (ctx, [name], o) => {
        const { addOrg } = await import('../../domain/org/org.service.js');
        const { orgFields } = await import('../../domain/org/org.render.js');
        const r = await addOrg(await ctx.db(), stamp(ctx), { name: name!, member: o.member, domain: o.domain, contact: o.contact === undefined ? undefined : await personArg(ctx, o.contact) });
        ctx.out.info(`added organisation ${r.name}`);
        await renderRecord(ctx.out, ctx.format, r, orgFields(r));
      }),
    );
}

import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, personArg, stamp } from '../../cli/action.js';

export function registerOrgUpdate(org: Command, streams: Streams) {
  org
    .command('update')
    .argument('<org>', 'organisation name (any case)')
    .option('--name <name>', 'new name')
    .option('--domain <domain>', "new domain ('' to clear)")
    .option('--member', 'becomes a member organisation (its public announcement is planned, P7)')
    .option('--non-member', 'is no longer a member; its planned public announcement is cancelled (P7)')
    .option('--contact <person>', "contact person: email or #ID ('' to clear)")
    .description('change an organisation')
    .addHelpText('after', '\nExample:\n  consort org update "example university" --contact ada@example.edu')
    .action(
      action<{ name?: string; domain?: string; member?: boolean; nonMember?: boolean; contact?: string }>(streams, async (ctx, [name], o) => {
        const { updateOrg } = await import('../../domain/org/org.service.js');
        const { orgFields } = await import('../../domain/org/org.render.js');
        const r = await updateOrg(await ctx.db(), stamp(ctx), name!, { name: o.name, domain: o.domain, contact: o.contact === undefined ? undefined : await personArg(ctx, o.contact), member: o.member ? true : o.nonMember ? false : undefined });
        ctx.out.info(`updated organisation ${r.name}`);
        await renderRecord(ctx.out, ctx.format, r, orgFields(r));
      }),
    );
}

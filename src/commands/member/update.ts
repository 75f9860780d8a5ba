import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerMemberUpdate(member: Command, streams: Streams) {
  member
    .command('update')
    .argument('<person>', PERSON_ARG_HELP)
    .option('--name <name>', 'new name')
    .option('--email <email>', 'new email address')
    .option('--org <org>', "organisation ('' for none; created as a non-member if new)")
    .option('--status <status>', 'member, contact or former; becoming a member grants newsletter and directory unless withdrawn (P6); leaving withdraws what membership alone granted (P1)')
    .option('--allow-erased', 'accept a new --email that belonged to an erased person (they came back)')
    .description('change a person')
    .addHelpText('after', '\nExample:\n  consort member update alan@example.org --status member')
    .action(
      action<{ name?: string; email?: string; org?: string; status?: string; allowErased?: boolean }>(streams, async (ctx, [email], o) => {
        const { memberStatusOptions } = await import('../../domain/member/member.schema.js');
        const { status } = parseOptions(memberStatusOptions, o);
        const { updatePerson } = await import('../../domain/member/member.service.js');
        const { personFields } = await import('../../domain/member/member.render.js');
        const r = await updatePerson(await ctx.db(), stamp(ctx), await personArg(ctx, email!), { ...o, status });
        ctx.out.info(`updated ${r.person.email}${r.granted.length ? ` (granted ${r.granted.join(', ')})` : ''}${r.withdrawn.length ? ` (withdrew ${r.withdrawn.join(', ')}: granted by membership, which ended)` : ''}`);
        if (r.keptWithdrawn.length) ctx.out.warn(`${r.keptWithdrawn.join(', ')} left withdrawn: membership does not override a withdrawal`);
        await renderRecord(ctx.out, ctx.format, r.person, personFields(r.person));
      }),
    );
}

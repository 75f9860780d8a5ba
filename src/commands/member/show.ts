import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg } from '../../cli/action.js';
// Statically: member show is measured from a cold start, and each lazy chunk is one more file to wait for.
import { showPersonFast } from '../../domain/member/member.show.js';
import { personFields } from '../../domain/member/member.render.js';

export function registerMemberShow(member: Command, streams: Streams) {
  member
    .command('show')
    .argument('<person>', PERSON_ARG_HELP)
    .description('show one person and their current consents (text on a terminal, JSON when piped)')
    .action(
      action(streams, async (ctx, [email]) => {
        const p = await showPersonFast(await ctx.db({ raw: true }), await personArg(ctx, email!, { raw: true }));
        await renderRecord(ctx.out, ctx.format, p, personFields(p));
      }),
    );
}

import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../action.js';

export function registerMemberShow(member: Command, streams: Streams) {
  member
    .command('show')
    .argument('<email>', 'email address (any case)')
    .description('show one person and their current consents (text on a terminal, JSON when piped)')
    .action(
      action(streams, async (ctx, [email]) => {
        const { showPerson } = await import('../../domain/member/member.service.js');
        const { personFields } = await import('../../domain/member/member.render.js');
        const p = await showPerson(await ctx.db(), email!);
        await renderRecord(ctx.out, ctx.format, p, personFields(p));
      }),
    );
}

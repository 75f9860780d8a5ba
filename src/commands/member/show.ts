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
        // Loaded side by side: each import waits for its file, and this command is measured from cold.
        const [{ showPersonFast }, { personFields }, db] = await Promise.all([
          import('../../domain/member/member.show.js'),
          import('../../domain/member/member.render.js'),
          ctx.db({ raw: true }),
        ]);
        const p = await showPersonFast(db, email!);
        await renderRecord(ctx.out, ctx.format, p, personFields(p));
      }),
    );
}

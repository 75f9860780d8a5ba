import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { sanitizeForTerminal } from '../../io/sanitize.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';

export function registerNoticePreview(notice: Command, streams: Streams) {
  notice
    .command('preview')
    .argument('[person]', `only this person's notices: ${PERSON_ARG_HELP}`)
    .description('the pending notices as the people will read them: headers decoded, the body as text')
    .addHelpText('after', '\nThe letter is the one notice send sends and notice export drafts (set your own text with\nconsort config set notice-template FILE).\n\nExample:\n  consort notice preview ada@example.org')
    .action(
      action(streams, async (ctx, [email]) => {
        const { previewNotices } = await import('../../domain/notice/notice.service.js');
        const letters = await previewNotices(await ctx.db(), stamp(ctx), email === undefined ? undefined : await personArg(ctx, email));
        if (!letters.length) {
          ctx.out.info(email ? `no pending notices for ${email}` : 'no pending notices');
          return;
        }
        ctx.out.page();
        const rule = '-'.repeat(72);
        const text = letters.join(`\n${rule}\n\n`);
        // Names and titles came from outside: on a terminal they lose their escape sequences.
        await ctx.out.data(ctx.out.stdoutIsTTY ? sanitizeForTerminal(text) : text);
        await ctx.out.flush();
        ctx.out.info(`${letters.length} notice${letters.length === 1 ? '' : 's'}`);
      }),
    );
}

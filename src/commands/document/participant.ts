import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';

/** `document participant add|remove SLUG EMAIL`: a hand-made change that sticks. */
export function registerDocumentParticipant(document: Command, streams: Streams) {
  const participant = document.command('participant').description('add or remove a participant by hand (a removal sticks even if more activity arrives)');
  for (const [verb, kind] of [['add', 'added'], ['remove', 'removed']] as const) {
    participant
      .command(verb)
      .argument('<slug>')
      .argument('<person>', PERSON_ARG_HELP)
      .description(verb === 'add' ? 'make a member a participant whatever their activity' : 'never count this person as a participant of the document')
      .addHelpText('after', `\nExample:\n  consort document participant ${verb} qti-3 ada@example.org`)
      .action(
        action(streams, async (ctx, [slug, email]) => {
          const { overrideParticipant } = await import('../../domain/document/document.service.js');
          const r = await overrideParticipant(await ctx.db(), stamp(ctx), slug!, await personArg(ctx, email!), kind);
          ctx.out.info(`${r.email} ${r.change} by hand on ${r.document}`);
        }),
      );
  }
}

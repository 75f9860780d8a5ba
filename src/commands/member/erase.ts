import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerMemberErase(member: Command, streams: Streams) {
  member
    .command('erase')
    .argument('<person>', PERSON_ARG_HELP)
    .option('--reason <text>', 'why (required; audited)')
    .description('erase a person: name, email, organisation link and activity go; consents, disclosures and notices stay as evidence under a pseudonym (asks on a terminal; --yes elsewhere)')
    .addHelpText('after', '\nA salted hash of the address is kept: adding or importing it again is refused (exit 6)\nunless --allow-erased. A credit in a published document cannot be recalled; the result says so.\n\nExample:\n  consort member erase ada@example.org --reason "request of 2026-03-01" --yes')
    .action(
      action<{ reason?: string }>(streams, async (ctx, [ref], o) => {
        const email = await personArg(ctx, ref!);
        const { erasePerson } = await import('../../domain/member/member.erase.js');
        const db = await ctx.db();
        const { memberEraseOptions } = await import('../../domain/member/member.schema.js');
        const { reason } = parseOptions(memberEraseOptions, o);
        if (!(await ctx.confirm(`Erase ${email}? This cannot be undone.`))) return ctx.out.info('not erased');
        const r = await erasePerson(db, stamp(ctx), email!, reason);
        ctx.out.info(`erased ${email}: now ${r.pseudonym}`);
        if (r.log_kept) ctx.out.warn('another process has the database open: the erased data stays in its write-ahead log until that process closes it');
        if (r.cannot_recall.length) ctx.out.warn(`${r.cannot_recall.length} released disclosures (${[...new Set(r.cannot_recall)].join(', ')}) are history and cannot be recalled`);
        await renderRecord(ctx.out, ctx.format, r);
      }),
    );
}

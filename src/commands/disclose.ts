import type { Command } from 'commander';
import type { Streams } from '../io/output.js';
import { OUTPUT_OPTION_HELP, outputSink } from '../io/sink.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../cli/action.js';

export function registerDisclose(program: Command, streams: Streams) {
  program
    .command('disclose')
    .argument('<person>', PERSON_ARG_HELP)
    .option('--to <recipient>', 'who receives the data')
    .option('--legal-basis <text>', 'the law or order that mandates it (required: P2)')
    .option('--no-notice-reason <text>', 'why the person is not told (e.g. the order forbids it); else a notice is pending')
    .option('-o, --output <file>', OUTPUT_OPTION_HELP)
    .description("the only way data goes to a third party (P2): prints the person's data package as JSON and records a released legal disclosure")
    .addHelpText('after', '\nWithout --legal-basis it is refused (exit 7, P2).\n\nExample:\n  consort disclose ada@example.org --to "District Court of Example" --legal-basis "order 2026/123" -o package.json')
    .action(
      action<{ to?: string; legalBasis?: string; noticeReason?: string | boolean; output?: string }>(streams, async (ctx, [email], o) => {
        const { disclose } = await import('../domain/disclosure/disclose.service.js');
        const db = await ctx.db();
        const sink = await outputSink(ctx.out, o.output);
        const reason = typeof o.noticeReason === 'string' ? o.noticeReason : undefined;
        const r = await disclose(db, stamp(ctx), { email: await personArg(ctx, email!), to: o.to, legalBasis: o.legalBasis, noNoticeReason: reason }, sink);
        ctx.out.info(`recorded lawful disclosure #${r.disclosure}${r.noticePending ? '; a notice to the person is pending (consort notice pending)' : ''}`);
      }),
    );
}

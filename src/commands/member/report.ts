import type { Command } from 'commander';
import { pickFormat } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { safeJson, sanitizeForTerminal } from '../../io/sanitize.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';

export function registerMemberReport(member: Command, streams: Streams) {
  member
    .command('report')
    .argument('<person>', PERSON_ARG_HELP)
    .option('--full', 'every activity event, not a summary per document and month')
    .description('everything consort holds about one person (subject access): JSON, or text on a terminal; audited')
    .addHelpText('after', '\nSections: person, organisation, consents (current and history), activity, disclosures,\nnotices, exports (released disclosures; newsletter periods and the exports made in them).\n\nExample:\n  consort member report ada@example.org --format json > ada-report.json')
    .action(
      action<{ full?: boolean }>(streams, async (ctx, [email], o) => {
        const { personReport } = await import('../../domain/member/member.report.js');
        const { reportText } = await import('../../domain/member/member.render.js');
        const format = pickFormat(ctx.format, ['json', 'text'] as const, ctx.out.stdoutIsTTY ? 'text' : 'json');
        const r = await personReport(await ctx.db(), stamp(ctx), await personArg(ctx, email!), { full: o.full });
        // A report runs to pages: on a terminal it goes through the pager, as git log does.
        ctx.out.page();
        await ctx.out.data(format === 'json' ? safeJson(r, 2) + '\n' : sanitizeForTerminal(reportText(r)) + '\n');
      }),
    );
}

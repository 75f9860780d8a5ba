import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerDisclosuresList(disclosures: Command, streams: Streams) {
  disclosures
    .command('list')
    .option('--kind <kind>', 'credit, announcement, directory or legal')
    .option('--state <state>', 'planned, released or cancelled')
    .option('--person <person>', `one person's disclosures: ${PERSON_ARG_HELP}`)
    .option('--document <slug>', "one document's credit disclosures")
    .description('every disclosure with kind, subject, organisation, audience, date, state and notice state')
    .addHelpText('after', '\nExample:\n  consort disclosures list --state planned --format csv')
    .action(
      action<{ kind?: string; state?: string; person?: string; document?: string }>(streams, async (ctx, _args, o) => {
        const { disclosureListOptions } = await import('../../domain/disclosure/disclosure.schema.js');
        const filter = parseOptions(disclosureListOptions, o);
        const { listDisclosures, refreshDisclosures } = await import('../../domain/disclosure/disclosure.service.js');
        const format = listFormat(ctx.out, ctx.format);
        const db = await ctx.db();
        await refreshDisclosures(db, stamp(ctx));
        await renderList(ctx.out, format, [
          { header: 'id', value: (d) => d.id },
          { header: 'kind', value: (d) => d.kind },
          { header: 'subject', value: (d) => d.email },
          { header: 'organisation', value: (d) => d.organisation },
          { header: 'document', value: (d) => d.document },
          { header: 'audience', value: (d) => d.recipient ?? d.audience },
          { header: 'due', value: (d) => d.due_on },
          { header: 'state', value: (d) => d.state },
          { header: 'notice', value: (d) => d.notice },
        ], { pages: await listDisclosures(db, { ...o, ...filter, person: o.person === undefined ? undefined : await personArg(ctx, o.person) }) });
      }),
    );
}

import type { Command } from 'commander';
import { CheckFailedError, UsageError } from '../../errors.js';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../action.js';

export function registerDisclosures(program: Command, streams: Streams) {
  const disclosures = program.command('disclosures').description('what is released about people, to whom and when, and whether they were told first (P9)');
  disclosures
    .command('list')
    .option('--kind <kind>', 'credit, announcement, directory or legal')
    .option('--state <state>', 'planned, released or cancelled')
    .option('--person <email>', "one person's disclosures")
    .option('--document <slug>', "one document's credit disclosures")
    .description('every disclosure with kind, subject, organisation, audience, date, state and notice state')
    .addHelpText('after', '\nExample:\n  consort disclosures list --state planned --format csv')
    .action(
      action<{ kind?: string; state?: string; person?: string; document?: string }>(streams, async (ctx, _args, o) => {
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
        ], await listDisclosures(db, o));
      }),
    );
  disclosures
    .command('check')
    .option('--within <days>', 'look this many days ahead (default: the notice-days setting)')
    .description('report every planned disclosure due within the window whose people were not told in time; exit 3 when anything is found')
    .addHelpText(
      'after',
      `
Problem codes (--format json gives one object per problem with a stable "code"):
  subject-not-informed            the person has not been told
  notice-too-late                 told fewer than notice-days days before the date
  org-contact-not-informed        organisation-level disclosure; its contact was not told
  org-has-no-contact              organisation-level disclosure; nobody to tell
  participant-without-consent     a participant will be left out for lack of credit consent (ask them)
  consent-withdrawn-after-notice  told, then withdrew the consent

Example (cron, every morning; mail the output when it exits 3):
  consort disclosures check --format json > /tmp/p9.json || mail -s "P9" staff < /tmp/p9.json`,
    )
    .action(
      action<{ within?: string }>(streams, async (ctx, _args, o) => {
        const { checkDisclosures, refreshDisclosures } = await import('../../domain/disclosure/disclosure.service.js');
        if (o.within !== undefined && !/^\d{1,5}$/.test(o.within)) throw new UsageError('--within must be a whole number of days');
        const format = listFormat(ctx.out, ctx.format);
        const db = await ctx.db();
        await refreshDisclosures(db, stamp(ctx));
        const r = await checkDisclosures(db.kysely, ctx.now().slice(0, 10), o.within === undefined ? undefined : Number(o.within));
        await renderList(ctx.out, format, [
          { header: 'code', value: (p) => p.code },
          { header: 'due', value: (p) => p.due_on },
          { header: 'kind', value: (p) => p.kind },
          { header: 'subject', value: (p) => p.subject },
          { header: 'document', value: (p) => p.document },
          { header: 'disclosure', value: (p) => p.disclosure },
          { header: 'message', value: (p) => p.message },
        ], r.problems);
        if (r.problems.length) throw new CheckFailedError(`${r.problems.length} disclosure problem(s) due through ${r.through}`, 'tell the people concerned, then consort notice record');
        ctx.out.info(`no problems with disclosures due through ${r.through}`);
      }),
    );
}

import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { safeJson } from '../../io/sanitize.js';
import { action, PERSON_ARG_HELP, personArg } from '../../cli/action.js';
import type { ConsentEventRow } from '../../domain/consent/consent.repo.js';

type Event = ConsentEventRow;

export function registerConsentShow(consent: Command, streams: Streams) {
  consent
    .command('show')
    .argument('<person>', PERSON_ARG_HELP)
    .description('current state per purpose and scope, then the full history; csv/tsv: the history with a current column; json: {current, history}')
    .action(
      action(streams, async (ctx, [email]) => {
        const { showConsents } = await import('../../domain/consent/consent.service.js');
        const r = await showConsents(await ctx.db(), await personArg(ctx, email!));
        const format = listFormat(ctx.out, ctx.format);
        if (format === 'json' || format === 'ndjson') {
          await ctx.out.data(safeJson(r, format === 'json' ? 2 : undefined) + '\n');
          return ctx.out.flush();
        }
        const history = [
          { header: 'at', value: (e: Event) => e.at },
          { header: 'purpose', value: (e: Event) => e.purpose },
          { header: 'document', value: (e: Event) => e.document },
          { header: 'action', value: (e: Event) => e.action },
          { header: 'basis', value: (e: Event) => e.basis },
          { header: 'evidence', value: (e: Event) => e.evidence },
          { header: 'actor', value: (e: Event) => e.actor },
        ];
        if (format !== 'table') {
          // One table a program can read: the history, each event marked if it is the current state.
          // The history is in ledger order, so the last event of each (purpose, scope) is its state.
          const latest = new Map<string, number>();
          for (const e of r.history) latest.set(`${e.purpose}\0${e.document ?? ''}`, e.id);
          const isCurrent = (e: Event) => latest.get(`${e.purpose}\0${e.document ?? ''}`) === e.id;
          await renderList(ctx.out, format, [...history, { header: 'current', value: (e: Event) => (isCurrent(e) ? 'yes' : 'no') }], r.history);
          return;
        }
        await ctx.out.data(ctx.out.color.bold('Current state') + '\n');
        await renderList(ctx.out, format, [
          { header: 'purpose', value: (c) => c.purpose },
          { header: 'document', value: (c) => c.document },
          { header: 'state', value: (c) => (c.state === 'grant' ? 'granted' : 'withdrawn') },
          { header: 'since', value: (c) => c.since },
          { header: 'basis', value: (c) => c.basis },
        ], r.current, { empty: 'no consents' });
        await ctx.out.data('\n' + ctx.out.color.bold('History') + '\n');
        await renderList(ctx.out, format, history, r.history, { empty: 'no consent events' });
      }),
    );
}

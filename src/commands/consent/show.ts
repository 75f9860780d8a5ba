import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { safeJson } from '../../io/sanitize.js';
import { action } from '../action.js';

export function registerConsentShow(consent: Command, streams: Streams) {
  consent
    .command('show')
    .argument('<email>', 'the person')
    .description('current state per purpose and scope, then the full history (JSON: {current, history})')
    .action(
      action(streams, async (ctx, [email]) => {
        const { showConsents } = await import('../../domain/consent/consent.service.js');
        const r = await showConsents(await ctx.db(), email!);
        const format = listFormat(ctx.out, ctx.format);
        if (format === 'json' || format === 'ndjson') {
          await ctx.out.data(safeJson(r, format === 'json' ? 2 : undefined) + '\n');
          return ctx.out.flush();
        }
        if (ctx.out.stdoutIsTTY) await ctx.out.data(ctx.out.color.bold('Current state') + '\n');
        await renderList(ctx.out, format, [
          { header: 'purpose', value: (c) => c.purpose },
          { header: 'document', value: (c) => c.document },
          { header: 'state', value: (c) => (c.state === 'grant' ? 'granted' : 'withdrawn') },
          { header: 'since', value: (c) => c.since },
          { header: 'basis', value: (c) => c.basis },
        ], r.current);
        await ctx.out.data(ctx.out.stdoutIsTTY ? '\n' + ctx.out.color.bold('History') + '\n' : '\n');
        await renderList(ctx.out, format, [
          { header: 'at', value: (e) => e.at },
          { header: 'purpose', value: (e) => e.purpose },
          { header: 'document', value: (e) => e.document },
          { header: 'action', value: (e) => e.action },
          { header: 'basis', value: (e) => e.basis },
          { header: 'evidence', value: (e) => e.evidence },
          { header: 'actor', value: (e) => e.actor },
        ], r.history);
      }),
    );
}

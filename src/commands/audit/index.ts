import type { Command } from 'commander';
import { CheckFailedError, UsageError } from '../../errors.js';
import { listFormat, renderList, renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { parseIsoTime } from '../../domain/time.js';
import { action, positiveInt } from '../action.js';

export function registerAudit(program: Command, streams: Streams) {
  const audit = program.command('audit').description('the append-only, hash-chained log of every change and export (P4)');
  audit
    .command('list')
    .option('--since <time>', 'entries at or after TIME (ISO 8601)')
    .option('--limit <n>', 'at most N entries', positiveInt('--limit'))
    .description('list audit entries, oldest first; --actor NAME lists only that actor\'s entries')
    .addHelpText('after', '\nExample:\n  consort audit list --since 2026-01-01 --format json')
    .action(
      action<{ since?: string; limit?: number }>(streams, async (ctx, _args, o) => {
        const { listAudit } = await import('../../domain/audit/audit.service.js');
        const since = o.since === undefined ? undefined : parseIsoTime(o.since);
        if (o.since !== undefined && !since) throw new UsageError(`--since is not an ISO 8601 time: '${o.since}'`);
        const format = listFormat(ctx.out, ctx.format);
        // The global --actor (who acts) doubles as the filter here: listing changes nothing.
        const rows = await listAudit(await ctx.db(), { since, actor: ctx.options.actor, limit: o.limit });
        await renderList(ctx.out, format, [
          { header: 'seq', value: (r) => r.seq },
          { header: 'at', value: (r) => r.at },
          { header: 'actor', value: (r) => r.actor },
          { header: 'command', value: (r) => r.command },
          { header: 'summary', value: (r) => r.summary },
        ], rows);
      }),
    );
  audit
    .command('verify')
    .description('recompute the hash chain; exit 3 and name the first bad entry if a row was altered or removed')
    .action(
      action(streams, async (ctx) => {
        const { verifyAudit } = await import('../../domain/audit/audit.service.js');
        const v = await verifyAudit(await ctx.db());
        // JSON field names are snake_case, as in every other command's JSON.
        const record = { ok: v.ok, entries: v.entries, head: v.head, first_bad: v.firstBad ?? null };
        await renderRecord(ctx.out, ctx.format, record, [['ok', v.ok], ['entries', v.entries], ['head', v.head], ['first bad', v.firstBad ? `entry ${v.firstBad.seq}: ${v.firstBad.reason}` : 'none']]);
        if (!v.ok) throw new CheckFailedError(`audit chain broken at entry ${v.firstBad!.seq}: ${v.firstBad!.reason}`, 'restore from a backup and investigate');
      }),
    );
}

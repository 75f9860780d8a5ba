import type { Command } from 'commander';
import { CheckFailedError } from '../../errors.js';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerAuditVerify(audit: Command, streams: Streams) {
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

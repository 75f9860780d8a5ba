import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { safeJson } from '../../io/sanitize.js';
import { parseIsoTime } from '../../domain/time.js';
import { action, positiveInt } from '../action.js';
import type { ActivityFilter } from '../../domain/activity/activity.repo.js';

type Flags = ActivityFilter;

function time(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = parseIsoTime(v);
  if (!t) throw new UsageError(`${flag} is not an ISO 8601 time: '${v}'`, `e.g. ${flag} 2026-01-01`);
  return t;
}

export function registerActivityList(activity: Command, streams: Streams) {
  activity
    .command('list')
    .option('--member <email>', "one member's activity")
    .option('--document <slug>', 'activity on one document')
    .option('--action <action>', 'one kind of action')
    .option('--since <time>', 'at or after TIME (ISO 8601)')
    .option('--until <time>', 'before TIME (ISO 8601)')
    .option('--limit <n>', 'at most N events', positiveInt('--limit'))
    .description('list activity, oldest first (table on a terminal, TSV when piped; --format csv|json|ndjson)')
    .addHelpText('after', '\nExample:\n  consort activity list --document qti-3 --since 2026-01-01 --format json')
    .action(
      action<Flags>(streams, async (ctx, _args, o) => {
        const { listActivity } = await import('../../domain/activity/activity.service.js');
        const format = listFormat(ctx.out, ctx.format);
        const rows = await listActivity(await ctx.db(), { ...o, since: time('--since', o.since), until: time('--until', o.until) });
        await renderList(ctx.out, format, [
          { header: 'at', value: (r) => r.at },
          { header: 'email', value: (r) => r.email },
          { header: 'action', value: (r) => r.action },
          { header: 'document', value: (r) => r.document },
          { header: 'detail', value: (r) => (r.detail === null ? null : safeJson(r.detail)) },
        ], rows);
      }),
    );
}

import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { safeJson } from '../../io/sanitize.js';
import { action, personArg, positiveInt, TIME_FLAG_HELP, timeFlag } from '../../cli/action.js';
import type { ActivityFilter } from '../../domain/activity/activity.repo.js';

type Flags = ActivityFilter;

export function registerActivityList(activity: Command, streams: Streams) {
  activity
    .command('list')
    .option('--member <person>', "one member's activity (email or #ID)")
    .option('--document <slug>', 'activity on one document')
    .option('--action <action>', 'one kind of action')
    .option('--since <time>', `at or after TIME: ${TIME_FLAG_HELP}`)
    .option('--until <time>', 'before TIME (as --since)')
    .option('--limit <n>', 'at most N events', positiveInt('--limit'))
    .description('list activity, oldest first (table on a terminal, TSV when piped; --format csv|json|ndjson)')
    .addHelpText('after', '\nExample:\n  consort activity list --document qti-3 --since 2026-01-01 --format json\n  consort activity list --member ada@example.org --since \'2 weeks ago\'')
    .action(
      action<Flags>(streams, async (ctx, _args, o) => {
        const { listActivity } = await import('../../domain/activity/activity.service.js');
        const format = listFormat(ctx.out, ctx.format);
        const rows = await listActivity(await ctx.db(), { ...o, member: o.member === undefined ? undefined : await personArg(ctx, o.member), since: timeFlag(ctx, '--since', o.since), until: timeFlag(ctx, '--until', o.until) });
        await renderList(ctx.out, format, [
          { header: 'at', value: (r) => r.at },
          { header: 'email', value: (r) => r.email },
          { header: 'action', value: (r) => r.action },
          { header: 'document', value: (r) => r.document },
          { header: 'detail', value: (r) => (r.detail === null ? null : safeJson(r.detail)) },
        ], rows, { empty: 'no activity matches' });
      }),
    );
}

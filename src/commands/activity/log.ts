import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, personArg, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

export function registerActivityLog(activity: Command, streams: Streams) {
  activity
    .command('log')
    .argument('<person>', 'the member: email or #ID')
    .argument('<action>', 'what they did, e.g. comment, edit, review')
    .option('--document <slug>', 'the document it concerns')
    .option('--at <time>', 'when (ISO 8601; default now)')
    .option('--detail <json>', 'a JSON object with details')
    .description('record one activity of a member; refused for contacts and former members (exit 7, P5)')
    .addHelpText('after', `\nExample:\n  consort activity log ada@example.org comment --document qti-3 --detail '{"page":"/qti-3/4.2"}'`)
    .action(
      action<{ document?: string; at?: string; detail?: string }>(streams, async (ctx, [email, act], o) => {
        const { activityLogOptions } = await import('../../domain/activity/activity.schema.js');
        const options = parseOptions(activityLogOptions(ctx.now()), { action: act, ...o });
        const { logActivity } = await import('../../domain/activity/activity.service.js');
        const r = await logActivity(await ctx.db(), stamp(ctx), { email: await personArg(ctx, email!), ...options });
        ctx.out.info(`logged ${r.action} for ${r.email}`);
        await renderRecord(ctx.out, ctx.format, r);
      }),
    );
}

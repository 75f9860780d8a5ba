import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

export function registerPolicySet(policy: Command, streams: Streams) {
  policy
    .command('set')
    .argument('<file>', 'the text of the privacy statement (Markdown or plain text)')
    .description('record a new version of the privacy statement (sha256, date, text); new consent events record it')
    .addHelpText('after', '\nExample:\n  consort policy set privacy-statement.md')
    .action(
      action(streams, async (ctx, [file]) => {
        const { setPolicy } = await import('../../domain/policy/policy.service.js');
        const r = await setPolicy(await ctx.db(), stamp(ctx), file!);
        ctx.out.info(`policy ${r.version} in force (sha256 ${r.sha256})${r.previous ? `, replacing ${r.previous}` : ''}`);
        await ctx.out.data(r.version + '\n');
      }),
    );
}

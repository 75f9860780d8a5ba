import type { Command } from 'commander';
import { listFormat, renderList } from '../io/format.js';
import type { Streams } from '../io/output.js';
import { action, stamp } from './action.js';

export function registerPolicy(program: Command, streams: Streams) {
  const policy = program.command('policy').description('versions of the privacy statement; consents given under an older one');
  policy
    .command('set')
    .argument('<file>', 'the text of the privacy statement (Markdown or plain text)')
    .description('record a new version of the privacy statement (sha256, date, text); new consent events record it')
    .addHelpText('after', '\nExample:\n  consort policy set privacy-statement.md')
    .action(
      action(streams, async (ctx, [file]) => {
        const { setPolicy } = await import('../domain/policy/policy.service.js');
        const r = await setPolicy(await ctx.db(), stamp(ctx), file!);
        ctx.out.info(`policy ${r.version} in force (sha256 ${r.sha256})${r.previous ? `, replacing ${r.previous}` : ''}`);
        await ctx.out.data(r.version + '\n');
      }),
    );
  policy
    .command('stale')
    .description('people whose current consents were given under an older version (ask them again)')
    .action(
      action(streams, async (ctx) => {
        const { staleConsents } = await import('../domain/policy/policy.service.js');
        const format = listFormat(ctx.out, ctx.format);
        const r = await staleConsents(await ctx.db());
        if (!r.current) ctx.out.info('no privacy statement recorded yet: consort policy set FILE');
        await renderList(ctx.out, format, [
          { header: 'email', value: (s) => s.email },
          { header: 'name', value: (s) => s.name },
          { header: 'purpose', value: (s) => s.purpose },
          { header: 'document', value: (s) => s.document },
          { header: 'since', value: (s) => s.since },
          { header: 'given under', value: (s) => s.version },
        ], r.stale, { empty: 'no consents given under an older version' });
      }),
    );
}

import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerPolicyStale(policy: Command, streams: Streams) {
  policy
    .command('stale')
    .description('people whose current consents were given under an older version (ask them again)')
    .action(
      action(streams, async (ctx) => {
        const { staleConsents } = await import('../../domain/policy/policy.service.js');
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

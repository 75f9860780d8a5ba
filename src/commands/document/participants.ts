import type { Command } from 'commander';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerDocumentParticipants(document: Command, streams: Streams) {
  document
    .command('participants')
    .argument('<slug>')
    .description('everyone with activity on the document or changed by hand: activity count, how they take part, credit consent, credited or why not')
    .addHelpText('after', '\nExample:\n  consort document participants qti-3 --format csv > qti-3-participants.csv')
    .action(
      action(streams, async (ctx, [slug]) => {
        const { documentParticipants } = await import('../../domain/document/document.participants.js');
        const format = listFormat(ctx.out, ctx.format);
        const r = await documentParticipants((await ctx.db()).kysely, slug!, { all: true });
        const rows = r.people.map((p) => ({ name: p.name, email: p.email, organisation: p.organisation, activities: p.activities, participant: p.participant, how: p.how, consent: p.consent, credited: p.credited, reason: p.reason || null }));
        await renderList(ctx.out, format, [
          { header: 'email', value: (p) => p.email },
          { header: 'name', value: (p) => p.name },
          { header: 'activities', value: (p) => p.activities },
          { header: 'how', value: (p) => p.how },
          { header: 'consent', value: (p) => p.consent },
          { header: 'credited', value: (p) => (p.credited ? 'yes' : 'no') },
          { header: 'why not', value: (p) => p.reason },
        ], rows, { empty: 'no participants' });
        ctx.out.info(`${r.document.slug} (${r.document.status}): ${rows.filter((p) => p.participant).length} active participants (threshold ${r.threshold}), ${rows.filter((p) => p.credited).length} credited`);
      }),
    );
}

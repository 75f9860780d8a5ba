import type { Command } from 'commander';
import { CheckFailedError } from '../../errors.js';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action } from '../../cli/action.js';

export function registerDbCheck(db: Command, streams: Streams) {
  db.command('check')
    .description('run SQLite integrity and foreign-key checks, verify the audit chain and the participation counts; exit 3 on problems')
    .action(
      action(streams, async (ctx) => {
        const { checkDatabase } = await import('../../domain/db/db.service.js');
        const r = await checkDatabase(await ctx.db());
        await renderRecord(ctx.out, ctx.format, r, [
          ['ok', r.ok],
          ['integrity', r.integrity],
          ['foreign keys', r.foreign_key_violations === 0 ? 'ok' : `${r.foreign_key_violations} broken`],
          ['participation', r.participation_mismatches === 0 ? 'ok' : `${r.participation_mismatches} differ`],
          ['file mode', r.mode],
          ['audit entries', r.audit.entries],
          ['audit head', r.audit.head],
          ['problems', r.problems.join('; ') || 'none'],
        ]);
        for (const w of r.warnings) ctx.out.warn(w);
        if (!r.ok) throw new CheckFailedError(`database check found ${r.problems.length} problem(s): ${r.problems[0]}`, 'restore from a backup or investigate with consort audit list');
      }),
    );
}

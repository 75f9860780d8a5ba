import type { Command } from 'commander';
import { formatProblem } from '../../errors.js';
import { openInput } from '../../io/input.js';
import type { Streams } from '../../io/output.js';
import { startProgress } from '../../io/progress.js';
import { action, stamp } from '../action.js';

export function registerConsentImport(consent: Command, streams: Streams) {
  consent
    .command('import')
    .argument('<file>', "CSV (email,purpose,action,document,at,evidence) or NDJSON, or '-' for standard input")
    .option('--dry-run', 'show what would happen ([RECORD] [SKIP] per row) and write nothing')
    .option('--skip-invalid', 'import the valid rows and report the others')
    .description('import consent events, e.g. unsubscribes coming back from the mailer, in one transaction')
    .addHelpText(
      'after',
      `
A grant for a purpose the person withdrew is skipped: an import never re-subscribes.
Every bad row (unknown person, bad purpose or time) is reported as FILE:LINE: field: reason,
and then nothing is written (unless --skip-invalid).

Example:
  mailer-unsubscribes | consort consent import - --format csv`,
    )
    .action(
      action<{ dryRun?: boolean; skipInvalid?: boolean }>(streams, async (ctx, [file], o) => {
        const { importConsents } = await import('../../domain/consent/consent.import.js');
        const db = await ctx.db();
        const input = openInput(file, ctx.streams);
        const progress = await startProgress(ctx.out, 'importing', input.size);
        try {
          const report = await importConsents(db, stamp(ctx), input, { ...o, format: ctx.format }, {
            onBytes: (n) => progress.advance(n),
            onProblem: (p) => ctx.streams.stderr.write(`consort: ${formatProblem(p)}\n`),
            onOutcome: (r) => (o.dryRun || r.action === 'SKIP' ? ctx.out.data(`[${r.action}] line ${r.line}: ${r.key}${r.note ? ` (${r.note})` : ''}\n`) : undefined),
          });
          await ctx.out.flush();
          progress.stop();
          ctx.out.info(`${report.dryRun ? 'dry run, nothing written: ' : ''}recorded ${report.counts.RECORD}, skipped ${report.counts.SKIP}${report.invalid ? `, ${report.invalid} invalid rows skipped` : ''} (${report.rows} rows)`);
        } finally {
          progress.stop();
        }
      }),
    );
}

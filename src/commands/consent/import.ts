import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

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
        await (await import('../../cli/import-run.js')).runImportCommand(ctx, file, (r) => Boolean(o.dryRun) || r.action === 'SKIP' || Boolean(r.note?.includes('history')), (input, hooks) =>
          importConsents(db, stamp(ctx), input, { ...o, format: ctx.format }, hooks),
        );
      }),
    );
}

import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Streams } from '../../io/output.js';
import { atomicFileSink, type DataSink } from '../../io/sink.js';
import { action, stamp } from '../action.js';
import { runImportCommand } from '../import-run.js';

interface Flags {
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  batchRows: string;
}

export function registerActivityImport(activity: Command, streams: Streams) {
  activity
    .command('import')
    .argument('<file>', "NDJSON or CSV site log, or '-' for standard input")
    .option('--dry-run', 'check every line and write nothing')
    .option('--skip-invalid', 'import the valid lines and report the others')
    .option('--rejects <file>', 'with --skip-invalid: write the bad lines there, verbatim')
    .option('--batch-rows <n>', 'reading a pipe: commit every N rows (and at least every second)', '1000')
    .description('import site-log events: NDJSON {"email","action","at","document"?,"detail"?} or CSV email,action,at,document')
    .addHelpText(
      'after',
      `
A file is one transaction: any bad line (bad JSON, unknown member, a contact or former
member (P5), bad time, unknown document) is reported as FILE:LINE: field: reason and
nothing is written, unless --skip-invalid.

A pipe (standard input that is not a file, e.g. tail -f access.ndjson | consort activity
import -) may never end, so its rows are committed in batches as they arrive: every
--batch-rows rows and at least once a second. A crash or kill loses at most the current
batch. A bad line stops the import (exit 4) after committing the rows before it, unless
--skip-invalid.

Examples:
  consort activity import site-2026-03.ndjson
  tail -f /var/log/site/events.ndjson | consort activity import - --skip-invalid --rejects bad.ndjson`,
    )
    .action(
      action<Flags>(streams, async (ctx, [file], o) => {
        const { importActivity } = await import('../../domain/activity/activity.service.js');
        if (o.rejects && !o.skipInvalid) throw new UsageError('--rejects needs --skip-invalid', 'without it a bad line stops the import');
        const batchRows = Number(o.batchRows);
        if (!Number.isInteger(batchRows) || batchRows < 1) throw new UsageError('--batch-rows must be a positive whole number');
        const db = await ctx.db();
        const rejects: DataSink | undefined = o.rejects ? await atomicFileSink(o.rejects) : undefined;
        let rejected = Promise.resolve();
        try {
          const report = await runImportCommand(ctx, file, () => false, (input, hooks) =>
            importActivity(db, stamp(ctx), input, { dryRun: o.dryRun, skipInvalid: o.skipInvalid, format: ctx.format, batch: input.isPipe ? { rows: batchRows, ms: 1000 } : undefined }, {
              ...hooks,
              onReject: (raw) => {
                if (rejects && raw !== undefined) rejected = rejected.then(() => rejects.write(raw.replace(/\r?\n$/, '') + '\n'));
              },
            }),
          );
          await rejected;
          await rejects?.commit();
          if (report.batches > 1) ctx.out.info(`committed in ${report.batches} batches`);
        } catch (err) {
          await rejects?.abort();
          throw err;
        }
      }),
    );
}

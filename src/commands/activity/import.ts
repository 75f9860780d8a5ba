import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Streams } from '../../io/output.js';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

/** The rejects file: mode 0600, its directory must exist. */
async function openRejects(file: string): Promise<WriteStream> {
  if (!existsSync(dirname(resolve(file)))) throw new UsageError(`cannot write --rejects ${file}: directory ${dirname(resolve(file))} does not exist`, 'create it first, or choose another file');
  const stream = createWriteStream(file, { flags: 'w', mode: 0o600 });
  await new Promise((ok, fail) => stream.once('open', ok).once('error', fail));
  return stream;
}

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
    .option('--rejects <file>', 'with --skip-invalid: write the bad lines there, verbatim, as they are found')
    .option('--batch-rows <n>', 'reading a pipe: commit every N rows (and at least every second)', '100000')
    .description('import site-log events: NDJSON {"email","action","at","document"?,"detail"?} or CSV email,action,at[,document,detail]; an event already recorded is skipped')
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
        const { activityImportOptions } = await import('../../domain/activity/activity.schema.js');
        const { batchRows } = parseOptions(activityImportOptions, o);
        const db = await ctx.db();
        // Rejects are written as they are found (not atomically): a long pipe that is killed keeps them.
        const rejects = o.rejects ? await openRejects(o.rejects) : undefined;
        try {
          const report = await (await import('../../cli/import-run.js')).runImportCommand(ctx, file, () => false, (input, hooks) =>
            importActivity(db, stamp(ctx), input, { dryRun: o.dryRun, skipInvalid: o.skipInvalid, format: ctx.format, batch: input.isPipe ? { rows: batchRows, ms: 1000 } : undefined }, {
              ...hooks,
              // Only with a rejects file: without one, the records' text need not be kept.
              onReject: rejects
                ? (raw) => {
                    if (raw !== undefined) rejects.write(raw.replace(/\r?\n$/, '') + '\n');
                  }
                : undefined,
            }),
          );
          if (report.batches > 1) ctx.out.info(`committed in ${report.batches} batches`);
        } finally {
          if (rejects) await new Promise((resolve) => rejects.end(resolve));
        }
      }),
    );
}

import type { Command } from 'commander';
import { formatProblem } from '../../errors.js';
import { openInput } from '../../io/input.js';
import type { Streams } from '../../io/output.js';
import { startProgress } from '../../io/progress.js';
import { action, stamp } from '../action.js';

interface ImportFlags {
  dryRun?: boolean;
  onDuplicate: string;
  skipInvalid?: boolean;
  source?: string;
}

export function registerMemberImport(member: Command, streams: Streams) {
  member
    .command('import')
    .argument('<file>', "CSV or NDJSON file, or '-' for standard input")
    .option('--dry-run', 'show what would happen ([ADD] [SKIP] [UPDATE] per row) and write nothing')
    .option('--on-duplicate <mode>', 'an address already held: fail, skip, or update (name and organisation only, never consents)', 'skip')
    .option('--skip-invalid', 'import the valid rows and report the others')
    .option('--source <source>', 'recorded as where these people came from (default import:FILE)')
    .description('import people from CSV (name,email,organization,status,newsletter) or NDJSON, streamed, in one transaction')
    .addHelpText(
      'after',
      `
The format is --format csv|ndjson, else the file extension, else guessed from the first byte.
Every bad row is reported as FILE:LINE: field: reason, and then nothing is written
(unless --skip-invalid). Two rows for one address (compared case-insensitively) are bad rows.
An import never records a consent for someone already held, so it never re-subscribes
a person who withdrew.

Examples:
  consort member import people.csv --dry-run
  consort member import people.ndjson --on-duplicate update
  generate-people | consort member import - --format ndjson`,
    )
    .action(
      action<ImportFlags>(streams, async (ctx, [file], o) => {
        const { importPeople } = await import('../../domain/member/member.service.js');
        const { ON_DUPLICATE } = await import('../../domain/member/member.schema.js');
        if (!(ON_DUPLICATE as readonly string[]).includes(o.onDuplicate)) {
          const { UsageError } = await import('../../errors.js');
          throw new UsageError(`invalid --on-duplicate '${o.onDuplicate}'`, `use one of: ${ON_DUPLICATE.join(', ')}`);
        }
        const db = await ctx.db();
        const input = openInput(file, ctx.streams);
        const progress = await startProgress(ctx.out, 'importing', input.size);
        try {
          const report = await importPeople(db, stamp(ctx), input, { ...o, onDuplicate: o.onDuplicate as 'skip', format: ctx.format }, {
            onBytes: (n) => progress.advance(n),
            onProblem: (p) => ctx.streams.stderr.write(`consort: ${formatProblem(p)}\n`),
            onOutcome: o.dryRun ? (r) => ctx.out.data(`[${r.action}] line ${r.line}: ${r.key}${r.note ? ` (${r.note})` : ''}\n`) : undefined,
          });
          await ctx.out.flush();
          progress.stop();
          const c = report.counts;
          ctx.out.info(`${report.dryRun ? 'dry run, nothing written: would add' : 'added'} ${c.ADD}, updated ${c.UPDATE}, skipped ${c.SKIP}${report.invalid ? `, ${report.invalid} invalid rows skipped` : ''} (${report.rows} rows, ${report.format})`);
        } finally {
          progress.stop();
        }
      }),
    );
}

import { Option, type Command } from 'commander';
import { ON_DUPLICATE, type OnDuplicate } from '../../domain/member/member.constants.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

interface ImportFlags {
  dryRun?: boolean;
  onDuplicate: OnDuplicate;
  skipInvalid?: boolean;
  source?: string;
  allowErased?: boolean;
}

export function registerMemberImport(member: Command, streams: Streams) {
  member
    .command('import')
    .argument('<file>', "CSV or NDJSON file, or '-' for standard input")
    .option('--dry-run', 'show what would happen ([ADD] [SKIP] [UPDATE] per row) and write nothing')
    .addOption(new Option('--on-duplicate <mode>', 'an address already held: fail, skip, or update (name and organisation only, never consents)').choices(ON_DUPLICATE).default('skip'))
    .option('--skip-invalid', 'import the valid rows and report the others')
    .option('--source <source>', 'recorded as where these people came from (default import:FILE)')
    .option('--allow-erased', 'accept addresses that belonged to erased people')
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
        const { importPeople } = await import('../../domain/member/member.import.js');
        const db = await ctx.db();
        await (await import('../../cli/import-run.js')).runImportCommand(ctx, file, () => Boolean(o.dryRun), (input, hooks) =>
          importPeople(db, stamp(ctx), input, { ...o, format: ctx.format }, hooks),
        );
      }),
    );
}

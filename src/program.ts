import { Command } from 'commander';
import { registerActivity } from './commands/activity/index.js';
import { registerAnnounce } from './commands/announce/index.js';
import { registerAudit } from './commands/audit/index.js';
import { registerConfig } from './commands/config/index.js';
import { registerConsent } from './commands/consent/index.js';
import { registerDb } from './commands/db/index.js';
import { registerCredits } from './commands/credits/index.js';
import { registerDemo } from './commands/demo.js';
import { registerDirectory } from './commands/directory/index.js';
import { registerDisclose } from './commands/disclose.js';
import { registerDisclosures } from './commands/disclosures/index.js';
import { registerDocument } from './commands/document/index.js';
import { registerInit } from './commands/init.js';
import { registerMember } from './commands/member/index.js';
import { registerNewsletter } from './commands/newsletter/index.js';
import { registerNotice } from './commands/notice/index.js';
import { registerOrg } from './commands/org/index.js';
import { registerResearch } from './commands/research.js';
import { registerPolicy } from './commands/policy.js';
import type { Streams } from './io/output.js';
import { VERSION } from './version.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  unexpected internal error (a bug: the message says so)
  2  usage error: unknown command or option, missing or malformed argument
  3  a check found problems (disclosures check, db check, audit verify)
  4  invalid input data (a bad row, a bad email); nothing was written
  5  not found (person, organisation, document)
  6  conflict (duplicate, wrong state)
  7  refused by the privacy policy (the message names the rule, e.g. P2)
  8  database problem: missing, locked, corrupt, or from a newer version

Environment:
  CONSORT_DB     database file when --db is not given
                 (default $XDG_DATA_HOME/consort/consort.db, i.e. ~/.local/share/consort/consort.db)
  CONSORT_NOW    ISO 8601 time used as "now" everywhere (tests, reproducible runs)
  CONSORT_ACTOR  who is acting, for the audit log (default: --actor, else the OS user)
  CONSORT_BUSY_TIMEOUT_MS  how long to wait for a lock held by another process (5000)
  XDG_DATA_HOME  where the default database lives (default ~/.local/share)
  NO_COLOR       disable colour; FORCE_COLOR forces it
`;

/** Builds the commander tree; commands load their services lazily so start-up stays fast. */
export function buildProgram(streams: Streams): Command {
  const program = new Command('consort');
  program
    .description("Membership administration for a standards consortium, keeping its privacy statement's promises")
    .version(VERSION, '-V, --version', 'print the version')
    .option('--db <path>', 'database file (else CONSORT_DB, else ~/.local/share/consort/consort.db)')
    .option('--format <fmt>', 'output (or input) format; lists: table|tsv|csv|json|ndjson')
    .option('--no-color', 'no colour, even on a terminal')
    .option('--no-input', 'never prompt; a missing value is a usage error')
    .option('--yes', 'confirm destructive commands without asking')
    .option('--actor <name>', 'who is acting, for the audit log (else CONSORT_ACTOR, else the OS user)')
    .option('-q, --quiet', 'no messages on stderr except errors and warnings')
    .option('-v, --verbose', 'more detail on stderr, with stack traces on errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
      // One line, as every consort error: commander's suggestion comes on a line of its own.
      outputError: (s, write) => write(`consort: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    })
    .addHelpText('after', EXIT_CODES_HELP);

  registerInit(program, streams);
  registerDemo(program, streams);
  registerDb(program, streams);
  registerConfig(program, streams);
  registerOrg(program, streams);
  registerMember(program, streams);
  registerConsent(program, streams);
  registerActivity(program, streams);
  registerDocument(program, streams);
  registerCredits(program, streams);
  registerNewsletter(program, streams);
  registerDirectory(program, streams);
  registerAnnounce(program, streams);
  registerDisclose(program, streams);
  registerDisclosures(program, streams);
  registerNotice(program, streams);
  registerResearch(program, streams);
  registerPolicy(program, streams);
  registerAudit(program, streams);
  return program;
}

import type { Runner } from './cli/action.js';
import { Command } from 'commander';
import { TOPICS } from './help/names.js';
import type { Streams } from './io/output.js';
import { VERSION } from './version.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  unexpected internal error (a bug: the message says so)
  2  usage error: unknown command or option, missing or malformed argument
  3  a check found problems (disclosures check, db check, audit verify), or notice send
     left notices unsent (failed, put off, uncertain)
  4  invalid input data (a bad row, a bad email); nothing was written
  5  not found (person, organisation, document)
  6  conflict (duplicate, wrong state)
  7  refused by the privacy policy (the message names the rule, e.g. P2)
  8  database problem: missing, locked, corrupt, or from a newer version; or the mail
     server of notice send cannot be reached

Environment:
  CONSORT_DB     database file when --db is not given
                 (default $XDG_DATA_HOME/consort/consort.db, i.e. ~/.local/share/consort/consort.db)
  CONSORT_NOW    ISO 8601 time used as "now" everywhere (tests, reproducible runs)
  CONSORT_ACTOR  who is acting, for the audit log (default: --actor, else the OS user)
  CONSORT_BUSY_TIMEOUT_MS  how long to wait for a lock held by another process (5000)
  XDG_DATA_HOME  where the default database lives (default ~/.local/share)
  NO_COLOR       disable colour; FORCE_COLOR forces it
  CONSORT_PAGER  pager for terminal output (else PAGER, else less -FRX; empty or cat: none)
  COLUMNS        terminal width when the terminal does not say
  TZ             time zone of the times terminal views show (machine formats stay UTC)
  (consort help environment lists every variable)

Guides (consort help TOPIC): ${Object.keys(TOPICS).join(', ')}
Help on a command: consort help COMMAND [SUBCOMMAND]; the manual: man consort, man consort-COMMAND
`;

type Register = (program: Command, streams: Streams, run: Runner) => void;

/**
 * Every top-level command, in the order --help lists them, each loaded only when wanted: the
 * command that runs is the only one loaded and built (commander then parses one group, not sixty
 * commands, and start-up compiles one group's files, not every command's); help and unknown
 * commands load and build all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  init: async () => (await import('./commands/init.js')).registerInit,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  db: async () => (await import('./commands/db/index.js')).registerDb,
  config: async () => (await import('./commands/config/index.js')).registerConfig,
  org: async () => (await import('./commands/org/index.js')).registerOrg,
  member: async () => (await import('./commands/member/index.js')).registerMember,
  consent: async () => (await import('./commands/consent/index.js')).registerConsent,
  activity: async () => (await import('./commands/activity/index.js')).registerActivity,
  document: async () => (await import('./commands/document/index.js')).registerDocument,
  credits: async () => (await import('./commands/credits/index.js')).registerCredits,
  newsletter: async () => (await import('./commands/newsletter/index.js')).registerNewsletter,
  directory: async () => (await import('./commands/directory/index.js')).registerDirectory,
  announce: async () => (await import('./commands/announce/index.js')).registerAnnounce,
  disclose: async () => (await import('./commands/disclose.js')).registerDisclose,
  disclosures: async () => (await import('./commands/disclosures/index.js')).registerDisclosures,
  notice: async () => (await import('./commands/notice/index.js')).registerNotice,
  research: async () => (await import('./commands/research/index.js')).registerResearch,
  policy: async () => (await import('./commands/policy/index.js')).registerPolicy,
  audit: async () => (await import('./commands/audit/index.js')).registerAudit,
  help: async () => (await import('./commands/help.js')).registerHelp,
  completion: async () => (await import('./commands/completion.js')).registerCompletion,
  __complete: async () => (await import('./commands/complete.js')).registerComplete,
};

/** Commands that need the whole tree: help describes it, completion is built from it. */
const WHOLE_TREE = new Set(['help', 'completion']);

/** Global options that take a value, so the command name is not mistaken for one. */
const VALUE_OPTIONS = new Set(['--db', '--format', '--actor']);

/** The top-level command argv names, if it is one of ours. */
function invoked(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) return Object.hasOwn(COMMANDS, arg) ? arg : undefined;
  }
  return undefined;
}

/**
 * Builds the commander tree for argv; commands load their services lazily so start-up stays fast.
 * `run` runs another consort command line (main.ts's run, for the demo's tour).
 */
export async function buildProgram(streams: Streams, argv: readonly string[], run: Runner): Promise<Command> {
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
    .option('--wide', 'terminal tables: every value whole, none shortened with …')
    .option('--no-pager', 'never page output (else a terminal pages through CONSORT_PAGER, PAGER or less -FRX)')
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
    .addHelpText('after', EXIT_CODES_HELP)
    // Our own `help` takes a command and its subcommands, or a topic (commander's takes one name).
    .helpCommand(false);

  const name = invoked(argv);
  const load = name && !WHOLE_TREE.has(name) ? [COMMANDS[name]!] : Object.values(COMMANDS);
  // One after another: Jest's ES module loader fails on concurrent imports of one module.
  for (const register of load) (await register())(program, streams, run);
  return program;
}

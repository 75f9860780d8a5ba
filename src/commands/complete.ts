import type { Command } from 'commander';
import type { Streams } from '../io/output.js';

/**
 * `consort __complete slugs|orgs`: the names a completion script offers from the database, one a
 * line. Hidden: it is the scripts' to call. It never fails loudly and never creates a database:
 * anything wrong (no database, a bad --db, a locked file) prints nothing and exits 0.
 */
export function registerComplete(program: Command, streams: Streams) {
  program
    .command('__complete', { hidden: true })
    .argument('<kind>')
    .allowUnknownOption()
    .action(async (kind: string, _opts: unknown, cmd: Command) => {
      try {
        const { listNames } = await import('../help/complete.js');
        const names = await listNames(streams, cmd.optsWithGlobals(), kind);
        if (names.length) streams.stdout.write(names.join('\n') + '\n');
      } catch {
        // A completion that cannot be had is no completion, not an error.
      }
    });
}

import type { Command } from 'commander';
import type { Streams } from '../io/output.js';
import { TOPICS } from '../help/names.js';

/** `consort help [COMMAND... | TOPIC]`; the help machinery and the guides load only when it runs. */
export function registerHelp(program: Command, streams: Streams) {
  program
    .command('help')
    .argument('[name...]', `a command and its subcommands, or a topic: ${Object.keys(TOPICS).join(', ')}`)
    .description('help on a command (what COMMAND --help prints), or a guide on a topic')
    .addHelpText(
      'after',
      `
Topics:
${Object.entries(TOPICS)
  .map(([name, about]) => `  ${name.padEnd(12)} ${about}`)
  .join('\n')}

Examples:
  consort help member import
  consort help rules
  consort help cron`,
    )
    .action(async (names: string[], _opts: unknown, cmd: Command) => {
      const { runHelp } = await import('../help/help.js');
      await runHelp(cmd.parent!, names, streams);
    });
}

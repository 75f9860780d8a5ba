import { Argument, type Command } from 'commander';
import type { Streams } from '../io/output.js';

const SHELLS = ['bash', 'zsh', 'fish'];

/** `consort completion bash|zsh|fish`: a script built from the commander tree. */
export function registerCompletion(program: Command, streams: Streams) {
  program
    .command('completion')
    .addArgument(new Argument('<shell>', 'the shell to complete for').choices(SHELLS))
    .description('print a shell completion script: commands, options, their values, and document slugs and organisations from the database')
    .addHelpText(
      'after',
      `
Examples:
  source <(consort completion bash)                         # in ~/.bashrc
  source <(consort completion zsh)                          # in ~/.zshrc
  consort completion fish > ~/.config/fish/completions/consort.fish`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish', _opts: unknown, cmd: Command) => {
      const { completionScript } = await import('../help/completion.js');
      streams.stdout.write(completionScript(cmd.parent!, shell));
    });
}

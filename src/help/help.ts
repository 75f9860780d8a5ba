import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Streams } from '../io/output.js';
import { TOPICS, type TopicName } from './names.js';
import { closest } from './suggest.js';

/** The names a command answers to. */
const namesOf = (c: Command) => [c.name(), ...c.aliases()];

/** The visible subcommands of a command (the hidden `__complete` is nobody's to type). */
export function visibleCommands(c: Command): Command[] {
  return c.commands.filter((s) => !(s as unknown as { _hidden?: boolean })._hidden);
}

/** A guide as a person reads it: its title line, then its Markdown text. */
export function topicText(name: TopicName, markdown: string): string {
  const body = markdown.replace(/^# .*\n+/, '');
  return `consort help ${name}: ${TOPICS[name]}\n\n${body.trimEnd()}\n`;
}

/**
 * `consort help [COMMAND [SUBCOMMAND...] | TOPIC]`, as `git help` does: a command's own help
 * (what `COMMAND --help` prints), or a guide. An unknown name is a usage error that suggests
 * the closest command or topic.
 */
export async function runHelp(program: Command, names: string[], streams: Streams): Promise<void> {
  if (names.length === 0) {
    program.outputHelp();
    return;
  }
  const [first, ...rest] = names as [string, ...string[]];
  const isCommand = visibleCommands(program).some((c) => namesOf(c).includes(first));
  if (!isCommand && Object.hasOwn(TOPICS, first)) {
    if (rest.length) throw new UsageError(`help topic ${first} has no part '${rest.join(' ')}'`, `run consort help ${first}`);
    const { TOPIC_TEXTS } = await import('./topics.js');
    streams.stdout.write(topicText(first as TopicName, TOPIC_TEXTS[first as TopicName]));
    return;
  }
  let target = program;
  for (const name of names) {
    const subs = visibleCommands(target);
    const next = subs.find((c) => namesOf(c).includes(name));
    if (!next) {
      const top = target === program;
      const candidates = [...subs.map((c) => c.name()), ...(top ? Object.keys(TOPICS) : [])];
      const guess = closest(name, candidates);
      const where = top ? 'no command or help topic' : `${fullName(target)} has no command`;
      const list = top ? 'consort help lists the commands and topics' : `consort help ${fullName(target).replace(/^consort /, '')} lists them`;
      throw new UsageError(`${where} '${name}'${guess ? ` (did you mean ${guess}?)` : ''}`, list);
    }
    target = next;
  }
  target.outputHelp();
}

/** `consort member import`, for messages. */
export function fullName(c: Command): string {
  const parts: string[] = [];
  for (let x: Command | null = c; x; x = x.parent) parts.unshift(x.name());
  return parts.join(' ');
}

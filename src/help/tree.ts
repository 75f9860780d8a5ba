import type { Command, Option } from 'commander';
import { BASES, PURPOSES } from '../db/schema/consent-event.js';
import { ANNOUNCE_FORMATS } from '../domain/announce/announce.service.js';
import { CREDIT_FORMATS } from '../domain/credits/credits.render.js';
import { DIRECTORY_FORMATS } from '../domain/directory/directory.render.js';
import { NEWSLETTER_FORMATS } from '../domain/newsletter/newsletter.render.js';
import { NOTICE_FORMATS } from '../domain/notice/notice.render.js';
import { RESEARCH_BY, RESEARCH_FORMATS } from '../domain/research/research.service.js';
import { SETTINGS } from '../domain/settings/settings.service.js';
import { LIST_FORMATS } from '../io/format.js';
import { visibleCommands } from './help.js';
import { TOPICS } from './names.js';

/** What a shell offers for a value: fixed words, file names, or names read from the database (`consort __complete KIND`). */
export type Values = { words: readonly string[] } | { file: true } | { dynamic: DynamicKind } | { help: true };

/** The names `consort __complete` lists from the database. */
export const DYNAMIC_KINDS = ['slugs', 'orgs'] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];

export interface CompletionOption {
  /** Every spelling: `-o`, `--output`. */
  names: string[];
  /** Values it takes, or undefined for a flag. */
  values?: Values | { none: true };
}

export interface CompletionNode {
  /** e.g. `member add`; '' for consort itself. */
  path: string;
  subcommands: string[];
  options: CompletionOption[];
  /** What each positional argument takes, in order. */
  args: (Values | undefined)[];
  /** The last argument repeats (`help [name...]`). */
  variadic: boolean;
  /** The global options that take a value, with their values under this command (`--format` depends on it). */
  globals: CompletionOption[];
}

const STATUSES = ['member', 'contact', 'former'];
const FILE: Values = { file: true };

/** The formats `--format` takes under a command. */
function formatsFor(path: string): readonly string[] {
  const byCommand: Record<string, readonly string[]> = {
    'newsletter export': NEWSLETTER_FORMATS,
    'credits export': CREDIT_FORMATS,
    'directory export': DIRECTORY_FORMATS,
    'announce export': ANNOUNCE_FORMATS,
    'research export': RESEARCH_FORMATS,
    'notice export': NOTICE_FORMATS,
    'member import': ['csv', 'ndjson'],
    'consent import': ['csv', 'ndjson'],
    'activity import': ['csv', 'ndjson'],
  };
  return byCommand[path] ?? [...LIST_FORMATS, 'text'];
}

/** The values of an option of a command, from commander's choices where it declares them, else by what the option means. */
function optionValues(path: string, option: Option): Values | { none: true } | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { words: option.argChoices };
  const long = option.long ?? '';
  switch (long) {
    case '--format':
      return { words: formatsFor(path) };
    case '--status':
      return { words: path === 'member add' ? ['member', 'contact'] : STATUSES };
    case '--kind':
      return { words: ['credit', 'announcement', 'directory', 'legal'] };
    case '--state':
      return { words: ['planned', 'released', 'cancelled'] };
    case '--by':
      return { words: RESEARCH_BY };
    case '--basis':
      return { words: BASES };
    case '--purpose':
      return { words: PURPOSES };
    case '--channel':
      return { words: ['email', 'letter', 'phone', 'meeting'] };
    case '--document':
      return { dynamic: 'slugs' };
    case '--org':
      return { dynamic: 'orgs' };
    case '--db':
    case '--output':
    case '--rejects':
      return FILE;
    case '--to':
      return path === 'db copy' ? FILE : { none: true };
    default:
      return { none: true };
  }
}

/** What a positional argument takes, by its name. */
function argumentValues(path: string, name: string): Values | undefined {
  if (path === 'help') return { help: true };
  if (path === 'completion') return { words: ['bash', 'zsh', 'fish'] };
  if (path.startsWith('config ') && name === 'key') return { words: Object.keys(SETTINGS) };
  switch (name) {
    case 'file':
      return FILE;
    case 'slug':
      return { dynamic: 'slugs' };
    case 'org':
      return { dynamic: 'orgs' };
    case 'purpose':
      return { words: PURPOSES };
    default:
      return undefined;
  }
}

/** Every command of the tree, depth first, with what a shell can complete for it. */
export function completionTree(program: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const walk = (c: Command, path: string) => {
    const options: CompletionOption[] = (c.options as Option[])
      .filter((o) => !o.hidden)
      .map((o) => ({ names: [o.short, o.long].filter((n): n is string => Boolean(n)), values: optionValues(path, o) }));
    if (path) options.push({ names: ['-h', '--help'] });
    const subs = visibleCommands(c);
    const globals = (program.options as Option[]).filter((o) => o.required || o.optional).map((o) => ({ names: [o.short, o.long].filter((n): n is string => Boolean(n)), values: optionValues(path, o) }));
    const args = c.registeredArguments;
    nodes.push({ path, subcommands: subs.map((s) => s.name()), options, args: args.map((a) => argumentValues(path, a.name())), variadic: Boolean(args.at(-1)?.variadic), globals });
    for (const s of subs) walk(s, path ? `${path} ${s.name()}` : s.name());
  };
  walk(program, '');
  const root = nodes[0]!;
  root.options.push({ names: ['-h', '--help'] });
  return nodes;
}

/** The topics, for `consort help <TAB>`. */
export const TOPIC_WORDS = Object.keys(TOPICS);

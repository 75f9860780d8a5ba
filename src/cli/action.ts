import { InvalidArgumentError, type Command } from 'commander';
import { Context } from '../context.js';
import { classifyError, UsageError } from '../errors.js';
import { wordError } from './reasons.js';
import { parseTimeFilter } from '../domain/shared/time.js';
import type { Stamp } from '../domain/audit/audit.service.js';
import type { Streams } from '../io/output.js';

/** The full name of a command, e.g. `member add`, for the audit log. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Who and when, for the audit log. */
export function stamp(ctx: Context): Stamp {
  return { at: ctx.now(), actor: ctx.actor, command: ctx.command };
}

/**
 * Wraps a command handler: builds its Context from the global options, and closes
 * the database afterwards whatever happens. Errors go up to main.
 */
export function action<O = Record<string, any>>(streams: Streams, handler: (ctx: Context, args: string[], opts: O) => Promise<void>) {
  return async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const opts = params[params.length - 2] as O;
    const args = params.slice(0, -2) as string[];
    const ctx = new Context(streams, cmd.optsWithGlobals(), commandPath(cmd));
    try {
      await ctx.out.useColor();
      await handler(ctx, args, opts);
      await ctx.out.flush();
    } catch (err) {
      // Name the database in SQLite's errors, word a service's reason with the command line's
      // flags; main turns the typed error into its exit code.
      throw wordError(classifyError(err, ctx.dbPath) ?? err);
    } finally {
      // The pager first: the error (if any) is printed after the person has left it.
      try {
        await ctx.out.close();
      } finally {
        await ctx.close();
      }
    }
  };
}

/** Parses a --since/--until value (ISO, or relative to the command's clock: yesterday, 7d, 2 weeks ago); a bad one is a usage error. */
export function timeFlag(ctx: Context, flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = parseTimeFilter(value, ctx.now(), ctx.streams.env.TZ);
  if (!t) throw new UsageError(`${flag} is not a time: '${value}'`, `e.g. ${flag} 2026-01-31, ${flag} 2026-01-31T09:00Z, ${flag} yesterday, ${flag} 7d, ${flag} '2 weeks ago'`);
  return t;
}

/** Help for a --since/--until option. */
export const TIME_FLAG_HELP = 'ISO 8601 (a date is UTC midnight), or today, yesterday, 7d, 3h, 2 weeks ago';

/**
 * The email of the person a command's argument names: an email, or `#ID` (as audit entries
 * show); `raw` opens the database without the query builder, for the start-up-bound reads.
 */
export async function personArg(ctx: Context, ref: string, opts: { raw?: boolean } = {}): Promise<string> {
  if (!ref.trim().startsWith('#')) return ref;
  const { personEmail } = await import('../domain/member/member.repo.js');
  return personEmail(await ctx.db(opts), ref);
}

/** Help for an argument that names a person. */
export const PERSON_ARG_HELP = 'the person: email (any case) or #ID (as audit entries show)';

/** Parses a positive whole number option. */
export function positiveInt(flag: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
      throw new InvalidArgumentError(`${flag} must be a positive whole number`);
    }
    return Number(v);
  };
}

/**
 * Runs consort on argv, as main.ts's run does: given to the commands that run others (the demo's
 * tour) by the program that builds them, so that no command imports main.ts.
 */
export type Runner = (argv: string[], streams: Streams) => Promise<number>;

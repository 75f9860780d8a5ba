import { InvalidArgumentError, type Command } from 'commander';
import { Context } from '../context.js';
import { classifyError } from '../errors.js';
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
      // Name the database in SQLite's errors; main turns the typed error into its exit code.
      throw classifyError(err, ctx.dbPath) ?? err;
    } finally {
      await ctx.close();
    }
  };
}

/** Parses a positive whole number option. */
export function positiveInt(flag: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
      throw new InvalidArgumentError(`${flag} must be a positive whole number`);
    }
    return Number(v);
  };
}

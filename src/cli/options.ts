import type { z } from 'zod';
import { UsageError } from '../errors.js';

/** The flag of an option key, as commander derives the key: `batchRows` is `--batch-rows`. */
const flagOf = (key: PropertyKey) => `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * The one formatter of option issues: the first issue (schemas list options in the order they
 * were always checked) becomes the usage error, `{flag}` its option's flag, `{flag:name}` another's.
 */
export function optionError(error: z.ZodError): UsageError {
  const issue = error.issues[0]!;
  const words = (text: string) => text.replace(/\{flag(?::([a-zA-Z-]+))?\}/g, (_, other?: string) => flagOf(other ?? issue.path[0] ?? ''));
  const hint = (issue as { params?: { hint?: string } }).params?.hint;
  return new UsageError(words(issue.message), hint === undefined ? undefined : words(hint));
}

/** Parses a command's options (and arguments) with its schema: typed values, or the usage error. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const r = schema.safeParse(options);
  if (!r.success) throw optionError(r.error);
  return r.data;
}

import { andThen, type MaybePromise } from '../../db/statements.js';

/** Distinct keys whose answers a lookup keeps; it starts over when it holds this many. */
export const CACHE_LIMIT = 100_000;

/**
 * `look`, remembering its answers (once they come) for up to `limit` keys, whatever the input:
 * an import's rows name the same people, documents and domains again and again. A known key is
 * answered at once.
 */
export function cached<T>(look: (key: string) => T, limit?: number): (key: string) => T;
export function cached<T>(look: (key: string) => MaybePromise<T>, limit = CACHE_LIMIT): (key: string) => MaybePromise<T> {
  const seen = new Map<string, T>();
  return (key) => {
    const known = seen.get(key);
    if (known !== undefined) return known;
    if (seen.size >= limit) seen.clear();
    return andThen(look(key), (found) => {
      seen.set(key, found);
      return found;
    });
  };
}

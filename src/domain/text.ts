/** Cleans a free-text value from outside (name, title): trimmed and NFC; undefined reason if acceptable. */
export function cleanText(raw: string, max = 300): { value: string } | { error: string } {
  const value = raw.trim().normalize('NFC');
  if (value === '') return { error: 'must not be empty' };
  if (value.length > max) return { error: `longer than ${max} characters` };
  if (value.includes('\0')) return { error: 'contains a NUL character' };
  return { value };
}

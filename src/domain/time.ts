const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Parses an ISO 8601 date or date-time (no zone means UTC) into a canonical UTC ISO string; undefined if invalid. */
export function parseIsoTime(text: string): string | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + '000').slice(0, 3)}${z}`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject dates that JavaScript silently rolls over (2026-02-30).
  if (z === 'Z' && (date.getUTCDate() !== Number(d) || date.getUTCMonth() + 1 !== Number(mo))) return undefined;
  return date.toISOString();
}

/** Parses a calendar date (YYYY-MM-DD) and returns it unchanged; undefined if invalid. */
export function parseIsoDate(text: string): string | undefined {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return undefined;
  return parseIsoTime(t) ? t : undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The canonical form parseIsoTime returns, which machine-written logs mostly use already. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Parses an ISO 8601 date or date-time (no zone means UTC) into a canonical UTC ISO string; undefined if invalid. */
export function parseIsoTime(text: string): string | undefined {
  // Fast path, without Date's string parser: a canonical time that comes back unchanged from its
  // numbers is its own answer. Anything else (a rolled-over date, a year below 100) takes the general path.
  if (text.length === 24 && CANONICAL.test(text)) {
    const n = (from: number, to: number) => Number(text.slice(from, to));
    const ms = Date.UTC(n(0, 4), n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16), n(17, 19), n(20, 23));
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === text) return text;
  }
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

/** A calendar date `days` after (or before, negative) a date or time. */
export function addDays(dateOrTime: string, days: number): string {
  return new Date(Date.parse(dateOrTime.slice(0, 10)) + days * 86_400_000).toISOString().slice(0, 10);
}

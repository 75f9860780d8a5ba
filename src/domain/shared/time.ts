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
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A time zone Intl knows (TZ's IANA name), else undefined: the process's own zone. */
export function timeZoneOf(tz: string | undefined): string | undefined {
  const name = tz?.replace(/^:/, '');
  if (!name) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name;
  } catch {
    return undefined;
  }
}

/** The wall-clock parts of an instant in a zone (undefined: the process's zone). */
export function wallClock(ms: number, timeZone: string | undefined): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The instant local midnight begins on the calendar day of `ms`, `days` days later, in a zone. */
function localMidnight(ms: number, days: number, timeZone: string | undefined): number {
  const w = wallClock(ms, timeZone);
  const wanted = Date.UTC(w.year, w.month - 1, w.day + days);
  // The zone's offset at the guess, applied twice: exact except inside a DST jump at midnight.
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const g = wallClock(guess, timeZone);
    guess += wanted - Date.UTC(g.year, g.month - 1, g.day, g.hour, g.minute, g.second);
  }
  return guess;
}

const UNITS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };
const UNIT_NAMES: Record<string, string> = { second: 's', sec: 's', minute: 'm', min: 'm', hour: 'h', day: 'd', week: 'w', month: 'mo', year: 'y' };

/**
 * Parses a time filter (since or until): an ISO 8601 date or time (no zone means UTC), or a time relative
 * to `now`: `now`, `today`, `yesterday` (local midnight, in `tz`), `7d`, `3h`, `30m`, `2w`,
 * `2 weeks ago`, `3 hours ago`, `1 month ago`. Returns a canonical UTC ISO string, or undefined.
 */
export function parseTimeFilter(text: string, now: string, tz?: string): string | undefined {
  const iso = parseIsoTime(text);
  if (iso) return iso;
  const t = text.trim().toLowerCase();
  const nowMs = Date.parse(now);
  const zone = timeZoneOf(tz);
  if (t === 'now') return new Date(nowMs).toISOString();
  if (t === 'today') return new Date(localMidnight(nowMs, 0, zone)).toISOString();
  if (t === 'yesterday') return new Date(localMidnight(nowMs, -1, zone)).toISOString();
  const short = /^(\d{1,6})\s*([smhdw])$/.exec(t);
  if (short) return new Date(nowMs - Number(short[1]) * UNITS[short[2]!]!).toISOString();
  const long = /^(\d{1,6}|an?)\s+(second|sec|minute|min|hour|day|week|month|year)s?\s+ago$/.exec(t);
  if (!long) return undefined;
  const n = /^\d/.test(long[1]!) ? Number(long[1]) : 1;
  const unit = UNIT_NAMES[long[2]!]!;
  if (unit === 'mo' || unit === 'y') {
    const d = new Date(nowMs);
    d.setUTCMonth(d.getUTCMonth() - (unit === 'y' ? 12 * n : n));
    return d.toISOString();
  }
  return new Date(nowMs - n * UNITS[unit]!).toISOString();
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * A time for a person to read: relative within a day of `now` (`5 minutes ago`, `in 2 hours`),
 * else local and short (`2026-12-02 13:21`) in `tz`.
 */
export function humanTime(iso: string, now: string, tz?: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const diff = Date.parse(now) - ms;
  const ago = Math.abs(diff);
  if (ago < DAY) {
    if (ago < MINUTE) return 'just now';
    const text = ago < HOUR ? plural(Math.floor(ago / MINUTE), 'minute') : plural(Math.floor(ago / HOUR), 'hour');
    return diff >= 0 ? `${text} ago` : `in ${text}`;
  }
  const w = wallClock(ms, timeZoneOf(tz));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${String(w.year).padStart(4, '0')}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

/** A UTC ISO 8601 date-time as consort writes it (not a bare date, which terminal views show as it is). */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

import fc from 'fast-check';
import { humanTime, parseIsoTime, parseTimeFilter } from '../../src/domain/shared/time.js';

describe('parseIsoTime', () => {
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  /** Canonical-looking times, valid or not: months to 13, days to 32, hours to 24, years from 0. */
  const canonical = fc
    .tuple(fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')), two(13), two(32), two(24), two(60), two(60), fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')))
    .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);

  test('a canonical time answers as the general parser does (a leading space sends it there)', () => {
    fc.assert(fc.property(canonical, (t) => expect(parseIsoTime(t)).toBe(parseIsoTime(` ${t}`))), { numRuns: 5000 });
  });

  test('examples: valid times come back unchanged; rolled-over dates are refused', () => {
    expect(parseIsoTime('2026-03-01T10:00:00.000Z')).toBe('2026-03-01T10:00:00.000Z');
    expect(parseIsoTime('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(parseIsoTime('2026-02-29T00:00:00.000Z')).toBeUndefined();
    expect(parseIsoTime('2026-13-01T00:00:00.000Z')).toBeUndefined();
    expect(parseIsoTime('2026-03-01T10:00:00+01:00')).toBe('2026-03-01T09:00:00.000Z');
    expect(parseIsoTime('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('parseTimeFilter (--since, --until)', () => {
  const now = '2026-12-02T13:21:00.000Z';
  test('ISO dates and times as before; no zone means UTC', () => {
    expect(parseTimeFilter('2026-01-01', now)).toBe('2026-01-01T00:00:00.000Z');
    expect(parseTimeFilter('2026-01-01T10:00:00+01:00', now)).toBe('2026-01-01T09:00:00.000Z');
  });
  test('relative to the command clock', () => {
    expect(parseTimeFilter('7d', now)).toBe('2026-11-25T13:21:00.000Z');
    expect(parseTimeFilter('3h', now)).toBe('2026-12-02T10:21:00.000Z');
    expect(parseTimeFilter('2 weeks ago', now)).toBe('2026-11-18T13:21:00.000Z');
    expect(parseTimeFilter('3 hours ago', now)).toBe('2026-12-02T10:21:00.000Z');
    expect(parseTimeFilter('an hour ago', now)).toBe('2026-12-02T12:21:00.000Z');
    expect(parseTimeFilter('1 month ago', now)).toBe('2026-11-02T13:21:00.000Z');
    expect(parseTimeFilter('now', now)).toBe(now);
  });
  test('today and yesterday begin at local midnight (TZ)', () => {
    expect(parseTimeFilter('today', now, 'UTC')).toBe('2026-12-02T00:00:00.000Z');
    expect(parseTimeFilter('yesterday', now, 'UTC')).toBe('2026-12-01T00:00:00.000Z');
    expect(parseTimeFilter('today', now, 'Europe/Berlin')).toBe('2026-12-01T23:00:00.000Z');
    expect(parseTimeFilter('yesterday', now, 'America/New_York')).toBe('2026-12-01T05:00:00.000Z');
    // Summer time: Berlin is two hours ahead.
    expect(parseTimeFilter('today', '2026-07-02T13:00:00.000Z', 'Europe/Berlin')).toBe('2026-07-01T22:00:00.000Z');
  });
  test('anything else is refused', () => {
    for (const bad of ['soon', '7', '7 d ago', 'yesterday at noon', '', '2026-02-30']) expect(parseTimeFilter(bad, now)).toBeUndefined();
  });
});

describe('humanTime', () => {
  const now = '2026-12-02T13:21:00.000Z';
  test('relative within a day, either side; singular and plural', () => {
    expect(humanTime('2026-12-02T13:20:40.000Z', now)).toBe('just now');
    expect(humanTime('2026-12-02T13:20:00.000Z', now)).toBe('1 minute ago');
    expect(humanTime('2026-12-02T13:16:00.000Z', now)).toBe('5 minutes ago');
    expect(humanTime('2026-12-02T11:21:00.000Z', now)).toBe('2 hours ago');
    expect(humanTime('2026-12-02T16:21:00.000Z', now)).toBe('in 3 hours');
  });
  test('else local and short', () => {
    expect(humanTime('2026-12-01T12:21:55.413Z', now, 'Europe/Berlin')).toBe('2026-12-01 13:21');
    expect(humanTime('2026-12-01T12:21:55.413Z', now, 'Asia/Tokyo')).toBe('2026-12-01 21:21');
    expect(humanTime('2026-12-01T12:21:55.413Z', now, 'Not/AZone')).toMatch(/^2026-12-01 \d\d:21$/);
  });
});

import fc from 'fast-check';
import { parseIsoTime } from '../../src/domain/time.js';

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

import { normaliseEmail } from '../../src/domain/shared/email.js';

describe('normaliseEmail', () => {
  test.each([
    ['ada@example.org', 'ada@example.org'],
    ['  Ada.Lovelace+news@Example.ORG ', 'Ada.Lovelace+news@Example.ORG'],
    ['josé@bücher.example', 'josé@bücher.example'],
    ['用户@例子.广告', '用户@例子.广告'],
    ["o'brien@example.ie", "o'brien@example.ie"],
  ])('accepts %s', (raw, stored) => {
    const r = normaliseEmail(raw);
    expect(r).toEqual({ email: stored, key: stored.toLowerCase() });
  });

  test('stores NFC and compares case-insensitively', () => {
    const decomposed = 'jose\u0301@example.org';
    const r = normaliseEmail(decomposed);
    expect('email' in r && r.email).toBe('jos\u00e9@example.org');
    const upper = normaliseEmail('JOS\u00c9@EXAMPLE.ORG');
    expect('key' in upper && 'key' in r && upper.key === r.key).toBe(true);
  });

  test.each(['', 'plain', '@example.org', 'ada@', 'ada@localhost', 'a b@example.org', 'ada@@example.org', 'ada@-bad-.org', 'ada..x@example.org', 'ada@example.123', 'x'.repeat(65) + '@example.org', 'ada@exa mple.org', 'ada\n@example.org', '"quoted"@example.org'])(
    'rejects %j with a reason',
    (raw) => {
      const r = normaliseEmail(raw);
      expect(r).toHaveProperty('error');
      expect((r as { error: string }).error.length).toBeGreaterThan(3);
    },
  );
});

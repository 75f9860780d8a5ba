import { parse } from 'csv-parse/sync';
import { csvCell, csvLine } from '../../src/io/csv.js';

describe('CSV cells (RFC 4180)', () => {
  test('quotes commas, quotes and newlines so a parser reads them back', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'crlf\r\nx', ''];
    const text = csvLine(values);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(text)).toEqual([values]);
  });

  test.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\rCR'])('neutralises formula-like cell %j with a leading quote', (v) => {
    const cell = csvCell(v);
    expect(parse(cell + '\r\n')[0]?.[0]).toBe("'" + v);
  });

  test('numbers are not neutralised (a negative count stays a number)', () => {
    expect(csvCell(-3)).toBe('-3');
  });
});

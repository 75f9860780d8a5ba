// The terminal table (gh and kubectl are the model): no borders, two spaces between columns,
// columns sized to their content and fitted to the terminal's width. Loaded only when a table
// is drawn, so string-width costs nothing to the commands that print none.
import stringWidth from 'string-width';

/** How a column gives way: `fixed` values (emails, ids, codes, dates) never; `text` is shortened with `…`. */
export type FitKind = 'fixed' | 'text';

const GAP = '  ';
/** The narrowest a shortened text column gets: one character and the `…`. */
const MIN_TEXT = 2;
/** What a text column keeps before any goes below it: `name` whole, three characters and `…`. */
const SHORT_TEXT = 4;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The display width of a terminal cell: CJK and emoji count two columns, combining marks none. */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Shortens text to at most `width` display columns, ending in `…` when anything was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  const segmenter = new Intl.Segmenter();
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/**
 * Column widths for a line of `budget` display columns (gaps excluded): fixed columns keep
 * their natural width; text columns give way, the widest first, down to four columns each (a
 * short header whole), then, if that is not enough, to two. When fixed columns alone do not
 * fit, the line is wider than the budget, never a value cut.
 */
export function fitWidths(natural: number[], kinds: FitKind[], budget: number): number[] {
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  for (const floor of [SHORT_TEXT, MIN_TEXT]) {
    while (total > budget) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (kinds[i] === 'text' && widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      // Down to the next-widest text column at once, or only as far as needed.
      const next = Math.max(floor, ...widths.map((w, i) => (i !== widest && kinds[i] === 'text' ? w : 0)));
      const cut = Math.max(1, Math.min(widths[widest]! - next, total - budget));
      widths[widest]! -= cut;
      total -= cut;
    }
  }
  return widths;
}

export interface TableOptions {
  /** The terminal's width; undefined draws every value whole. */
  width?: number;
  /** Styles a header cell (bold on a colour terminal), applied after layout. */
  header?: (text: string) => string;
  /** Styles a body cell by its column and plain value (e.g. a state's colour), applied after layout. */
  cell?: (column: number, text: string) => string;
}

/**
 * Draws rows of plain, one-line cells as aligned columns, the header first. When the fixed
 * columns alone are wider than the terminal, each row becomes a block of `header  value` lines
 * instead (psql's `\x auto`): a value is never broken, and no line is wider than the terminal.
 */
export function drawTable(headers: string[], rows: string[][], kinds: FitKind[], opts: TableOptions = {}): string {
  const all = [headers, ...rows];
  const natural = headers.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i]!))));
  const gaps = GAP.length * (headers.length - 1);
  const widths = opts.width === undefined ? natural : fitWidths(natural, kinds, opts.width - gaps);
  if (opts.width !== undefined && widths.reduce((a, b) => a + b, gaps) > opts.width) return drawExpanded(headers, rows, kinds, opts.width, opts);
  const last = headers.length - 1;
  const line = (cells: string[], style?: (i: number, text: string) => string) =>
    cells
      .map((c, i) => {
        const text = truncate(c, widths[i]!);
        const styled = style ? style(i, text) : text;
        // The last column is not padded: no trailing blanks for a terminal to wrap.
        return i === last ? styled : styled + ' '.repeat(Math.max(0, widths[i]! - displayWidth(text)));
      })
      .join(GAP)
      .trimEnd();
  const header = opts.header;
  return [line(headers, header && ((_, t) => header(t))), ...rows.map((r) => line(r, opts.cell))].join('\n');
}

/** One block per row, a blank line between: `header  value`, text shortened to the width. */
function drawExpanded(headers: string[], rows: string[][], kinds: FitKind[], width: number, opts: TableOptions): string {
  const label = Math.max(...headers.map(displayWidth));
  const header = opts.header ?? ((t: string) => t);
  return rows
    .map((r) =>
      r
        .map((c, i) => {
          if (c === '') return undefined;
          const text = kinds[i] === 'text' ? truncate(c, Math.max(MIN_TEXT, width - label - GAP.length)) : c;
          return header(headers[i]! + ' '.repeat(label - displayWidth(headers[i]!))) + GAP + (opts.cell ? opts.cell(i, text) : text);
        })
        .filter((l) => l !== undefined)
        .join('\n'),
    )
    .join('\n\n');
}

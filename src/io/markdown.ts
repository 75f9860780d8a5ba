// Outside text (names, organisations, titles) put into Markdown must read as the text itself,
// wherever it lands: at the start of a list item, inside emphasis or mid-line. CommonMark makes
// any ASCII punctuation after a backslash literal, so escaping is a backslash before every
// character that could start syntax; everything else is left as it is, for a readable source.

/**
 * Runs of whitespace that could end a line (CommonMark's LF, CR; U+0085, U+2028, U+2029 for
 * other readers) or indent one (space, tab: four make a code block); VT and FF too.
 */
const WHITESPACE = /[\t\n\v\f\r \u0085\u2028\u2029]+/g;

/**
 * Inline syntax, escaped wherever it stands: backslash escapes, code spans, emphasis, links and
 * images (an escaped `[` leaves `!` and `(` nothing to start), autolinks and HTML (`<`), block
 * quotes (`>`), GFM tables and strikethrough (`|`, `~`), math as GitHub renders it (`$`), and an
 * `&` only where it would start an entity reference (`&amp;`, `&#38;`, `&#x26;`).
 */
const INLINE = /[\\`*_[\]<>|~$]|&(?=#?[0-9A-Za-z]+;)/g;

/**
 * Block syntax that counts only at the start of a line, a list item's content included: ATX
 * headings (`#`), bullet lists and thematic breaks (`-`, `+`), setext underlines (`=`). The
 * others (`>`, `*`, `_`, fences, `|`, `<`) are escaped anywhere already.
 */
const LINE_START = /^[#+=-]/;

/** An ordered-list marker at the start of a line: `1.` or `1)`; escaping the delimiter is enough. */
const ORDERED_MARKER = /^(\d+)([.)])/;

/**
 * Escapes outside text so Markdown shows it literally, on one line, wherever it is put: line
 * breaks and whitespace runs become one space, the ends are trimmed, and every character that
 * could start Markdown syntax there gets a backslash.
 */
export function markdownText(s: string): string {
  return s
    .replace(WHITESPACE, ' ')
    .trim()
    .replace(INLINE, '\\$&')
    .replace(LINE_START, '\\$&')
    .replace(ORDERED_MARKER, '$1\\$2');
}

/** An address CommonMark makes an email autolink of (spec 6.5): anything else is not one. */
const AUTOLINK_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/**
 * An email address in angle brackets: a mailto autolink where CommonMark makes one (its content
 * is then taken literally); otherwise (an internationalised address) the escaped literal text.
 */
export function markdownEmail(email: string): string {
  return AUTOLINK_EMAIL.test(email) ? `<${email}>` : markdownText(`<${email}>`);
}

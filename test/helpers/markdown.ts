/** A CommonMark backslash escape: a backslash before ASCII punctuation shows that character. */
const ESCAPE = /\\[!-/:-@[-`{-~]/g;

/** The text that escaped Markdown shows: each backslash escape replaced by its character. */
export function shownText(markdown: string): string {
  return markdown.replace(ESCAPE, (e) => e[1]!);
}

/** Outside text as one Markdown line shows it: whitespace runs that could break or indent a line are one space, the ends trimmed. */
export function oneLine(text: string): string {
  return text.replace(/[\t\n\v\f\r \u0085\u2028\u2029]+/g, ' ').trim();
}

/**
 * Why `line` would not render as one list item of literal text, or null if it would. Judged
 * from CommonMark's rules, not from the escaper: after `- ` comes no whitespace and no block
 * syntax (heading, quote, list, ordered-list marker, fence, table, HTML, setext or thematic
 * break), and no character that starts inline syntax stands unescaped anywhere in it.
 */
export function listItemFault(line: string): string | null {
  if (!line.startsWith('- ')) return 'not a list item';
  const content = line.slice(2);
  if (content === '') return 'an empty item';
  if (/^\s|\s$/.test(content)) return 'whitespace at an end';
  if (/[\r\t\v\f\u0085\u2028\u2029]/.test(content)) return 'a line break or tab inside';
  if (/^[#>+\-*=~`|<_]/.test(content)) return `block syntax at the start: ${content[0]}`;
  if (/^\d+[.)]/.test(content)) return 'an ordered-list marker at the start';
  const raw = content.replace(ESCAPE, '').match(/[\\`*_[\]<>|~$]|&#?[0-9A-Za-z]+;/);
  return raw ? `unescaped ${raw[0]}` : null;
}

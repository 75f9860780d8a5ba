import { csvLine } from '../../io/csv.js';
import { safeJson } from '../../io/sanitize.js';
import type { Recipient } from './newsletter.repo.js';

export const NEWSLETTER_FORMATS = ['lines', 'rfc5322', 'csv', 'json', 'ndjson'] as const;
export type NewsletterFormat = (typeof NEWSLETTER_FORMATS)[number];

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** RFC 2047 encoded-words (UTF-8, base64), each at most 75 characters, split on character boundaries. */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > 45) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += n;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

/**
 * An RFC 5322 mailbox, `"Name" <email>`: a printable-ASCII name as a quoted-string
 * (quotes and backslashes escaped); any other name as RFC 2047 encoded-words, so
 * a standard parser reads back exactly the name, newlines and all.
 */
export function rfc5322Mailbox(r: Recipient): string {
  const name = PRINTABLE_ASCII.test(r.name) ? `"${r.name.replace(/[\\"]/g, '\\$&')}"` : encodedWords(r.name);
  return `${name} <${r.email}>`;
}

/** The text before the first recipient. */
export function newsletterHeader(format: NewsletterFormat): string {
  return format === 'csv' ? csvLine(['name', 'email']) : format === 'json' ? '[' : '';
}

/** One recipient in the chosen format; `index` is 0 for the first. */
export function newsletterLine(format: NewsletterFormat, r: Recipient, index: number): string {
  switch (format) {
    case 'lines':
      return r.email + '\n';
    case 'rfc5322':
      return rfc5322Mailbox(r) + '\n';
    case 'csv':
      return csvLine([r.name, r.email]);
    case 'json':
      return (index ? ',\n' : '\n') + safeJson({ name: r.name, email: r.email });
    case 'ndjson':
      return safeJson({ name: r.name, email: r.email }) + '\n';
  }
}

/** The text after the last recipient. */
export function newsletterFooter(format: NewsletterFormat, count: number): string {
  return format === 'json' ? (count ? '\n]\n' : ']\n') : '';
}

import { csvLine } from '../../io/csv.js';
import { mailbox } from '../../io/mime.js';
import { safeJson } from '../../io/sanitize.js';
import type { Recipient } from './newsletter.repo.js';

/**
 * The formats, the default first, each with what a record of it holds (json's are ndjson's, in an
 * array). The one list: the renderer's switch, help, completion and the docs' test read it.
 */
export const NEWSLETTER_FORMAT_FIELDS = {
  lines: 'one address a line',
  rfc5322: '"Name" <email>, non-ASCII names as RFC 2047 encoded-words',
  csv: 'name,email',
  json: undefined,
  ndjson: '{"name","email"}',
} as const;
export type NewsletterFormat = keyof typeof NEWSLETTER_FORMAT_FIELDS;
export const NEWSLETTER_FORMATS = Object.keys(NEWSLETTER_FORMAT_FIELDS) as NewsletterFormat[];

/** `"Name" <email>`, as a standard address parser reads it back (see io/mime). */
export function rfc5322Mailbox(r: Recipient): string {
  return mailbox(r.name, r.email);
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

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Text that may stand in a header as it is: printable ASCII that does not look like an
 * encoded-word (`=?`), which mail readers would decode, so a name could pose as another.
 */
function plain(text: string): boolean {
  return PRINTABLE_ASCII.test(text) && !text.includes('=?');
}

/** RFC 2047 encoded-words (UTF-8, base64), each at most 75 characters, split on character boundaries. */
export function encodedWords(text: string, fold = false): string {
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
  // Folded, each word on a line of its own, a long header stays inside RFC 5322's line lengths.
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(fold ? '\n ' : ' ');
}

/**
 * An RFC 5322 mailbox, `"Name" <email>`: a printable-ASCII name as a quoted-string
 * (quotes and backslashes escaped); any other name as RFC 2047 encoded-words, so
 * a standard parser reads back exactly the name, newlines and all.
 */
export function mailbox(name: string, email: string, o: { fold?: boolean } = {}): string {
  const display = plain(name) ? `"${name.replace(/[\\"]/g, '\\$&')}"` : encodedWords(name, o.fold);
  return `${display} <${email}>`;
}

/** A header value: as is when printable ASCII, else encoded-words. */
export function headerText(text: string, o: { fold?: boolean } = {}): string {
  return plain(text) ? text : encodedWords(text, o.fold);
}

/** Base64 in lines of 76 characters (RFC 2045). */
export function base64Lines(text: string): string {
  return (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RFC 5322 Date header value in UTC. */
export function rfc5322Date(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The date on an mbox "From " separator line (asctime format, UTC). */
export function mboxDate(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

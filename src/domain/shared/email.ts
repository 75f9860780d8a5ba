import { domainToASCII } from 'node:url';
import { cached } from './cache.js';
import { LONE_SURROGATE } from './text.js';

/** atext of RFC 5322 plus any non-ASCII character (RFC 6531 internationalised local parts), surrogates excepted. */
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uD7FF\uE000-\u{10FFFF}]+$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export interface NormalisedEmail {
  /** As stored and shown: trimmed and NFC-normalised, case kept. */
  email: string;
  /** The uniqueness key: lower-cased. */
  key: string;
}

/**
 * Checks an address's syntax: a dot-atom local part (ASCII or UTF-8) and a domain of
 * at least two labels, internationalised domains accepted (checked by their IDNA form).
 * Quoted local parts and IP-literal domains are refused: no mailer we feed accepts them.
 * Returns the normalised address, or the reason it is not one.
 */
export function normaliseEmail(raw: string): NormalisedEmail | { error: string } {
  const email = raw.trim().normalize('NFC');
  if (email === '') return { error: 'empty address' };
  if (email.length > 254) return { error: 'address longer than 254 characters' };
  if (/[\s\x00-\x1f\x7f]/.test(email)) return { error: 'address contains spaces or control characters' };
  if (LONE_SURROGATE.test(email)) return { error: 'address contains a lone surrogate, which is not Unicode text' };
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return { error: 'not an address of the form local@domain' };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return { error: 'local part longer than 64 characters' };
  if (!local.split('.').every((atom) => ATOM.test(atom))) return { error: `invalid local part '${local}'` };
  if (!validDomain(domain)) return { error: `invalid domain '${domain}'` };
  return { email, key: email.toLowerCase() };
}

/**
 * At least two labels, by their IDNA (ASCII) form, the last not all digits. The answers are kept:
 * an import meets the same few domains again and again (a pure function's answers).
 */
const validDomain = cached((domain: string): boolean => {
  const labels = domainToASCII(domain.toLowerCase()).split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!);
}, 10_000);

/** The lookup key for an address given on the command line (no validation). */
export function emailKey(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

import { csvLine } from '../../io/csv.js';
import { markdownEmail, markdownText } from '../../io/markdown.js';
import { safeJson } from '../../io/sanitize.js';
import type { CreditFacts } from '../document/document.rules.js';

export const CREDIT_FORMATS = ['text', 'markdown', 'csv', 'json', 'cff'] as const;
export type CreditFormat = (typeof CREDIT_FORMATS)[number];

/** A YAML scalar: a JSON string is a valid YAML double-quoted scalar. */
const yaml = (s: string) => JSON.stringify(s);

/** Splits a display name for CITATION.cff: the last word is the family name. */
export function splitName(name: string): { given: string | null; family: string } {
  const parts = name.trim().split(/\s+/);
  const family = parts.pop()!;
  return { given: parts.length ? parts.join(' ') : null, family };
}

/** Renders a credit list (already sorted) for the document `title`. */
export function renderCredits(format: CreditFormat, title: string, credits: CreditFacts[]): string {
  switch (format) {
    case 'text':
      return credits.map((c) => `${c.name.replace(/\r?\n/g, ' ')}${c.company ? `, ${c.company.replace(/\r?\n/g, ' ')}` : ''} <${c.email}>\n`).join('');
    case 'markdown':
      return [
        '## Acknowledgements\n\n',
        `The following people contributed to *${markdownText(title)}* and agreed to be credited:\n\n`,
        ...credits.map((c) => `- ${markdownText(c.name)}${c.company ? `, ${markdownText(c.company)}` : ''} ${markdownEmail(c.email)}\n`),
      ].join('');
    case 'csv':
      return csvLine(['name', 'email', 'company']) + credits.map((c) => csvLine([c.name, c.email, c.company])).join('');
    case 'json':
      return safeJson(credits.map((c) => ({ name: c.name, email: c.email, company: c.company })), 2) + '\n';
    case 'cff':
      return [
        'cff-version: 1.2.0\n',
        `message: ${yaml('Contributors credited with their approval.')}\n`,
        `title: ${yaml(title)}\n`,
        credits.length ? 'authors:\n' : 'authors: []\n',
        ...credits.map((c) => {
          const { given, family } = splitName(c.name);
          return [
            `  - family-names: ${yaml(family)}\n`,
            given ? `    given-names: ${yaml(given)}\n` : '',
            `    email: ${yaml(c.email)}\n`,
            c.company ? `    affiliation: ${yaml(c.company)}\n` : '',
          ].join('');
        }),
      ].join('');
  }
}

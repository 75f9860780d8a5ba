import { csvLine } from '../../io/csv.js';
import { base64Lines, headerText, mailbox, mboxDate, rfc5322Date } from '../../io/mime.js';
import { safeJson } from '../../io/sanitize.js';
import type { PendingNotice } from './notice.service.js';

export const NOTICE_FORMATS = ['mbox', 'ndjson', 'csv'] as const;
export type NoticeFormat = (typeof NOTICE_FORMATS)[number];

export interface NoticeContext {
  controllerName: string;
  controllerContact: string;
  policyUrl: string;
  now: string;
  titles: Map<string, string>;
}

const AUDIENCE: Record<string, string> = { public: 'the public', members: 'all members of the consortium', 'third-party': 'a third party' };

/** The subject line of a notice. */
export function noticeSubject(n: PendingNotice, c: NoticeContext): string {
  if (n.kind === 'credit') return `Before we publish: your credit in ${c.titles.get(n.document ?? '') ?? n.document}`;
  if (n.kind === 'announcement') return n.role === 'subject' ? 'Before we announce your membership' : `Before we announce the membership of ${n.organisation}`;
  if (n.kind === 'legal') return 'We have disclosed information about you as required by law';
  return 'Information about you in the members directory';
}

/** The plain-text body: what will be released, to whom, when, and how to object or withdraw. */
export function noticeBody(n: PendingNotice, c: NoticeContext): string {
  const facts = Object.entries(n.facts).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `  ${k}: ${String(v)}`).join('\n');
  const about = n.role === 'organisation-contact' ? `about ${n.organisation}, whose contact person you are,` : 'about you';
  const where = n.kind === 'credit' ? `in the acknowledgements of "${c.titles.get(n.document ?? '') ?? n.document}"` : n.kind === 'announcement' ? 'in our announcement of new members' : '';
  const lines =
    n.kind === 'legal'
      ? [`Dear ${n.name},`, '', `On ${n.due_on} we disclosed the following information ${about} to ${n.recipient}, as required by law:`, '', facts, '', `If you have questions, write to ${c.controllerContact}.`]
      : [
          `Dear ${n.name},`,
          '',
          `On ${n.due_on} we plan to release the following information ${about} to ${AUDIENCE[n.audience] ?? n.audience}${where ? `, ${where}` : ''}:`,
          '',
          facts,
          '',
          n.kind === 'credit'
            ? `You agreed to be credited. If you no longer want to be, tell us before ${n.due_on} by replying to this message or writing to ${c.controllerContact}, and we will leave your name out.`
            : `If you object, tell us before ${n.due_on} by replying to this message or writing to ${c.controllerContact}, and we will not publish it.`,
        ];
  return [...lines, '', `${c.controllerName}`, `Privacy statement: ${c.policyUrl}`, ''].join('\n');
}

/** Renders drafts: an mbox of RFC 5322 messages (UTF-8 bodies, base64), NDJSON or CSV. */
export function renderNotice(format: NoticeFormat, notices: PendingNotice[], c: NoticeContext): string {
  if (format === 'ndjson') return notices.map((n) => safeJson({ to: n.to, name: n.name, role: n.role, disclosure: n.disclosure, kind: n.kind, audience: n.audience, due_on: n.due_on, inform_by: n.inform_by, subject: noticeSubject(n, c), body: noticeBody(n, c) }) + '\n').join('');
  if (format === 'csv') return csvLine(['to', 'name', 'role', 'disclosure', 'kind', 'audience', 'due_on', 'inform_by', 'subject', 'body']) + notices.map((n) => csvLine([n.to, n.name, n.role, n.disclosure, n.kind, n.audience, n.due_on, n.inform_by, noticeSubject(n, c), noticeBody(n, c)])).join('');
  return notices
    .map((n) =>
      [
        `From consort@localhost ${mboxDate(c.now)}`,
        `From: ${mailbox(c.controllerName, c.controllerContact)}`,
        `To: ${mailbox(n.name, n.to)}`,
        `Subject: ${headerText(noticeSubject(n, c))}`,
        `Date: ${rfc5322Date(c.now)}`,
        `Message-ID: <notice-${n.disclosure}-${n.role}-${Buffer.from(n.to).toString('hex').slice(0, 32)}@consort.invalid>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        `X-Consort-Disclosure: ${n.disclosure}`,
        '',
        base64Lines(noticeBody(n, c)),
        '',
        '',
      ].join('\n'),
    )
    .join('');
}

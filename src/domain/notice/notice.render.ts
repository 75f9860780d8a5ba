import { createHash } from 'node:crypto';
import { csvLine } from '../../io/csv.js';
import { base64Lines, headerText, mailbox, mboxDate, rfc5322Date } from '../../io/mime.js';
import { addDays } from '../shared/time.js';
import { safeJson } from '../../io/sanitize.js';
import type { PendingNotice } from './notice.repo.js';
import { fillTemplate, type TemplateValues } from './notice.template.js';

export const NOTICE_FORMATS = ['mbox', 'ndjson', 'csv'] as const;
export type NoticeFormat = (typeof NOTICE_FORMATS)[number];

export interface NoticeContext {
  controllerName: string;
  controllerContact: string;
  policyUrl: string;
  now: string;
  titles: Map<string, string>;
  /** This database's own id, part of every Message-ID (so a message from another database is told apart). */
  databaseId: string;
  /** The notice-template setting; null for the built-in letter. */
  template: string | null;
  /** The notice-days setting: an announcement told now waits at least this long. */
  noticeDays: number;
}

const AUDIENCE: Record<string, string> = { public: 'the public', members: 'all members of the consortium', 'third-party': 'a third party' };

/** The subject line of a notice. */
export function noticeSubject(n: PendingNotice, c: NoticeContext): string {
  if (n.kind === 'credit') return `Before we publish: your credit in ${c.titles.get(n.document ?? '') ?? n.document}`;
  if (n.kind === 'announcement') return n.role === 'subject' ? 'Before we announce your membership' : `Before we announce the membership of ${n.organisation}`;
  if (n.kind === 'legal') return 'We have disclosed information about you as required by law';
  return 'Information about you in the members directory';
}

/**
 * The date a letter names: the disclosure's, except for an announcement told late, which waits
 * until notice-days after its notice (as recording the notice moves it), so the person always
 * has the time to object that the letter promises.
 */
export function releaseDateOf(n: PendingNotice, c: Pick<NoticeContext, 'now' | 'noticeDays'>): string {
  if (n.kind !== 'announcement' || n.released) return n.due_on;
  const earliest = addDays(c.now, c.noticeDays);
  return n.due_on < earliest ? earliest : n.due_on;
}

/** What a letter says, field by field (the fields a notice template may use). */
export function noticeValues(n: PendingNotice, c: NoticeContext): TemplateValues {
  const title = c.titles.get(n.document ?? '') ?? n.document;
  const date = releaseDateOf(n, c);
  return {
    person: n.name,
    email: n.to,
    released: Object.entries(n.facts).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `  ${k}: ${String(v)}`).join('\n'),
    about: n.role === 'organisation-contact' ? `about ${n.organisation}, whose contact person you are,` : 'about you',
    audience: n.kind === 'legal' ? (n.recipient ?? 'a third party') : (AUDIENCE[n.audience] ?? n.audience),
    where: n.kind === 'credit' ? `in the acknowledgements of "${title}"` : n.kind === 'announcement' ? 'in our announcement of new members' : '',
    date,
    object:
      n.kind === 'legal'
        ? `If you have questions, write to ${c.controllerContact}.`
        : n.kind === 'credit'
          ? `You agreed to be credited. If you no longer want to be, tell us before ${date} by replying to this message or writing to ${c.controllerContact}, and we will leave your name out.`
          : `If you object, tell us before ${date} by replying to this message or writing to ${c.controllerContact}, and we will not publish it.`,
    controller: c.controllerName,
    contact: c.controllerContact,
    policy_url: c.policyUrl,
  };
}

/** The plain-text body: what will be released, to whom, when, and how to object or withdraw; the notice-template setting when there is one. */
export function noticeBody(n: PendingNotice, c: NoticeContext): string {
  const v = noticeValues(n, c);
  if (c.template !== null) return fillTemplate(c.template, v);
  const lines =
    n.kind === 'legal'
      ? [`Dear ${v.person},`, '', `On ${v.date} we disclosed the following information ${v.about} to ${v.audience}, as required by law:`, '', v.released, '', v.object]
      : [`Dear ${v.person},`, '', `On ${v.date} we plan to release the following information ${v.about} to ${v.audience}${v.where ? `, ${v.where}` : ''}:`, '', v.released, '', v.object];
  return [...lines, '', v.controller, `Privacy statement: ${v.policy_url}`, ''].join('\n');
}

/**
 * The Message-ID of a notice: the same in every draft and send of it, and naming this database,
 * so recording the notices of a mailbox file can tell which notice a message was and whether it is ours.
 */
export function noticeMessageId(n: Pick<PendingNotice, 'disclosure' | 'role' | 'personId'>, databaseId: string): string {
  return `<notice-${n.disclosure}-${n.role}-${n.personId}.${databaseId}@consort.invalid>`;
}

/**
 * A digest of what a letter tells: to whom, of which kind, due when, and the facts. A message
 * carries it (X-Consort-Letter), so recording the notices of a mailbox file can tell a letter still true from one
 * drafted before the address, the date or the facts changed.
 */
export function letterDigest(n: PendingNotice): string {
  return createHash('sha256').update(JSON.stringify([n.to.toLowerCase(), n.kind, n.audience, n.recipient, n.due_on, n.facts])).digest('hex').slice(0, 24);
}

/**
 * A notice as one RFC 5322 message (LF line ends): plain text UTF-8 in base64, names and subject
 * as RFC 2047 encoded-words where they are not printable ASCII, so no name or title can end a
 * header line (CR, LF and NUL are never printable).
 */
export function noticeMessage(n: PendingNotice, c: NoticeContext, date: string): string {
  if (!/^[^\s<>()\\,;:"@]+@[^\s<>()\\,;:"@]+$/.test(n.to)) throw new Error(`not a mail address: ${JSON.stringify(n.to)}`);
  return [
    `From: ${mailbox(c.controllerName, c.controllerContact, { fold: true })}`,
    `To: ${mailbox(n.name, n.to, { fold: true })}`,
    `Subject: ${headerText(noticeSubject(n, c), { fold: true })}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: ${noticeMessageId(n, c.databaseId)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    `X-Consort-Disclosure: ${n.disclosure}`,
    `X-Consort-Letter: ${letterDigest(n)}`,
    '',
    base64Lines(noticeBody(n, c)),
    '',
  ].join('\n');
}

/** A notice as the person will read it: headers decoded, the body as text. */
export function noticePreview(n: PendingNotice, c: NoticeContext): string {
  return [
    `From: ${c.controllerName} <${c.controllerContact}>`,
    `To: ${n.name} <${n.to}>`,
    `Subject: ${noticeSubject(n, c)}`,
    `Date: ${rfc5322Date(c.now)}`,
    '',
    noticeBody(n, c),
  ].join('\n');
}

/** Renders drafts: an mbox of RFC 5322 messages (UTF-8 bodies, base64), NDJSON or CSV. */
export function renderNotice(format: NoticeFormat, notices: PendingNotice[], c: NoticeContext): string {
  const row = (n: PendingNotice) => ({ to: n.to, name: n.name, role: n.role, disclosure: n.disclosure, kind: n.kind, audience: n.audience, due_on: n.due_on, inform_by: n.inform_by, subject: noticeSubject(n, c), body: noticeBody(n, c), message_id: noticeMessageId(n, c.databaseId) });
  switch (format) {
    case 'ndjson':
      return notices.map((n) => safeJson(row(n)) + '\n').join('');
    case 'csv':
      return csvLine(['to', 'name', 'role', 'disclosure', 'kind', 'audience', 'due_on', 'inform_by', 'subject', 'body', 'message_id']) + notices.map((n) => csvLine(Object.values(row(n)))).join('');
    case 'mbox':
      return notices.map((n) => `From consort@localhost ${mboxDate(c.now)}\n${noticeMessage(n, c, c.now)}\n`).join('');
  }
}

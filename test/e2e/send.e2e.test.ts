/**
 * End-to-end: notice send (P9) through the real bin/consort to a real SMTP server on the loopback
 * (smtp-server), with mailparser reading what arrived. Each fault asserts both the mailbox and
 * the database: nobody gets two copies by accident, nobody is recorded as told who was not.
 */
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, consort, expectOneLineError, lines } from '../helpers/e2e.js';
import { newDatabase, rowsAt, tempDir } from '../helpers/db.js';
import { closedPort, TestSmtpServer } from '../helpers/smtp.js';

const NOW = '2026-03-01T10:00:00Z';
const ENV = { CONSORT_SMTP_RETRY_MS: '20' };
const servers: TestSmtpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(b: ConstructorParameters<typeof TestSmtpServer>[0] = {}) {
  const s = await new TestSmtpServer(b).start();
  servers.push(s);
  return s;
}

/** A database with `n` new members (each a pending announcement), From set, and the server's URL. */
async function setup(n: number, smtpUrl?: string) {
  const dir = tempDir();
  const db = await newDatabase(dir);
  const run = (args: string[], env: Record<string, string> = {}) => consort([...args, '--db', db], { env: { ...ENV, ...env } });
  expect((await run(['init'])).code).toBe(0);
  await run(['config', 'set', 'controller-name', 'Consortium Privacy Office']);
  await run(['config', 'set', 'controller-contact', 'privacy@consortium.org']);
  if (smtpUrl) await run(['config', 'set', 'smtp-url', smtpUrl]);
  const people = Array.from({ length: n }, (_, i) => ({ name: i === 0 ? 'Zoë Ångström' : `Member ${i}`, email: `m${i}@example.org` }));
  const csv = 'name,email,status\n' + people.map((p) => `${p.name},${p.email},member`).join('\n') + '\n';
  writeFileSync(join(dir, 'people.csv'), csv);
  if (n) expect((await run(['member', 'import', join(dir, 'people.csv')])).code).toBe(0);
  return { dir, db, run, people };
}

const notices = (db: string) => rowsAt<{ to: string; channel: string; message_id: string | null; reply: string | null; at: string }>(db, "select p.email as \"to\", n.channel, n.message_id, n.reply, n.at from notice n join person p on p.id = n.person_id where n.channel <> 'membership-terms' order by p.email");
const deliveries = (db: string) => rowsAt<{ address: string; state: string; reason: string | null; attempts: number }>(db, 'select address, state, reason, attempts from notice_delivery order by address');
const audits = (db: string) => rowsAt<{ summary: string }>(db, "select summary from audit_entry where command = 'notice send' and summary like 'notice send:%'");

test('P9: each pending notice goes as one email; the database records exactly what the server accepted', async () => {
  const smtp = await server();
  const { db, run } = await setup(3, smtp.url);
  await run(['document', 'add', 'qti', '--title', 'Qualité des Tests', '--release-on', '2026-05-01']);
  for (const d of ['2026-02-01', '2026-02-02', '2026-02-03']) await run(['activity', 'log', 'm1@example.org', 'edit', '--document', 'qti', '--at', d]);
  await run(['consent', 'grant', 'm1@example.org', 'credit']);
  const r = await run(['notice', 'send', '--all-pending']);
  expect(r.code).toBe(0);
  expect(lines(r.stderr)).toEqual(['sent 4, failed 0, uncertain 0']);
  expect(smtp.received).toHaveLength(4);
  expect(smtp.countsByRecipient()).toEqual({ 'm0@example.org': 1, 'm1@example.org': 2, 'm2@example.org': 1 });
  const zoe = smtp.received.find((m) => m.to[0] === 'm0@example.org')!;
  expect(zoe.from).toBe('privacy@consortium.org');
  expect(zoe.mail.from!.value).toEqual([{ name: 'Consortium Privacy Office', address: 'privacy@consortium.org' }]);
  expect((zoe.mail.to as { value: unknown[] }).value).toEqual([{ name: 'Zoë Ångström', address: 'm0@example.org' }]);
  expect(zoe.mail.subject).toBe('Before we announce your membership');
  expect(zoe.mail.text).toContain('Dear Zoë Ångström,');
  expect(zoe.mail.text).toContain('On 2026-03-15 we plan to release the following information about you to the public, in our announcement of new members:');
  expect(zoe.mail.text).toContain('tell us before 2026-03-15');
  const credit = smtp.received.find((m) => m.mail.subject?.includes('credit'))!;
  expect(credit.mail.subject).toBe('Before we publish: your credit in Qualité des Tests');
  expect(credit.mail.text).toContain('On 2026-05-01 we plan to release');
  // What the database holds: one email notice per message, with the Message-ID it arrived with and the server's reply.
  const recorded = await notices(db);
  expect(recorded).toHaveLength(4);
  expect(new Set(recorded.map((n) => n.message_id))).toEqual(new Set(smtp.received.map((m) => m.mail.messageId)));
  for (const n of recorded) expect(n).toMatchObject({ channel: 'email', at: '2026-03-01T10:00:00.000Z', reply: expect.stringMatching(/^250 queued as t\d$/) });
  expect((await run(['notice', 'pending', '--format', 'json'])).stdout.trim()).toBe('[]');
  expect((await deliveries(db)).map((d) => d.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
  // One audit entry for the run, and an export record of what was accepted.
  const audit = await audits(db);
  expect(audit).toHaveLength(1);
  expect(audit[0]!.summary).toMatch(/^notice send: sent 4, failed 0, deferred 0, uncertain 0; export notice email .*: 4 rows, sha256 [0-9a-f]{64}, to smtp:\/\/127\.0\.0\.1:\d+\?tls=off$/);
  // The rows on stdout say what happened to each, for scripts.
  expect(lines(r.stdout)[0]).toBe('state\tto\tdisclosure\tkind\tmessage id\treply');
  expect(lines(r.stdout).slice(1).every((l) => l.startsWith('sent\t'))).toBe(true);
  // Nothing is pending, so a second run sends nothing.
  expect((await run(['notice', 'send', '--all-pending'])).code).toBe(0);
  expect(smtp.received).toHaveLength(4);
});

test('P9: names and titles cannot inject headers: CR, LF and NUL never end a header line', async () => {
  const smtp = await server();
  const { dir, db, run } = await setup(0, smtp.url);
  const hostile = ['Eve\r\nBcc: evil@attacker.example', 'Mallory\nSubject: hijacked', 'Nul\u0000Byte', '=?UTF-8?B?RXZpbA==?= <evil@attacker.example>', '"Quoted" \\ Name', 'Ünïcödé 日本語 👩‍💻'];
  writeFileSync(join(dir, 'hostile.ndjson'), hostile.map((name, i) => JSON.stringify({ name, email: `h${i}@example.org`, status: 'member' })).join('\n') + '\n');
  const imported = await run(['member', 'import', join(dir, 'hostile.ndjson'), '--skip-invalid']);
  expect(imported.code).toBe(0);
  const people = JSON.parse((await run(['member', 'list', '--format', 'json'])).stdout) as Array<{ name: string; email: string }>;
  expect(people.length).toBeGreaterThanOrEqual(3);
  const r = await run(['notice', 'send', '--all-pending']);
  expect(r.code).toBe(0);
  expect(smtp.received).toHaveLength(people.length);
  for (const m of smtp.received) {
    expect(m.to).toHaveLength(1);
    expect(m.mail.headers.has('bcc')).toBe(false);
    expect(m.mail.subject).toBe('Before we announce your membership');
    const head = m.raw.slice(0, m.raw.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/\u0000|\r(?!\n)|(?<!\r)\n/);
    expect(head.split('\r\n').filter((l) => /^(to|from|subject|bcc|cc):/i.test(l)).map((l) => l.split(':')[0]!.toLowerCase()).sort()).toEqual(['from', 'subject', 'to']);
    // The name arrives whole, as a standard parser reads it back.
    const person = people.find((p) => p.email === m.to[0])!;
    expect((m.mail.to as { value: Array<{ name: string; address: string }> }).value).toEqual([{ name: person.name, address: person.email }]);
  }
  expect(await notices(db)).toHaveLength(people.length);
});

test('P9: the server down: exit 8 with one line, nothing sent, nothing recorded', async () => {
  const { db, run } = await setup(2, `smtp://127.0.0.1:${await closedPort()}?tls=off`);
  const r = await run(['notice', 'send', '--all-pending']);
  expectOneLineError(r, 8);
  expect(r.stderr).toMatch(/^consort: cannot reach the mail server at smtp:\/\/127\.0\.0\.1:\d+\?tls=off: .*ECONNREFUSED/);
  expect(r.stdout).toBe('');
  expect(await notices(db)).toEqual([]);
  expect(await deliveries(db)).toEqual([]);
  expect(await audits(db)).toEqual([]);
  expect(JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout)).toHaveLength(2);
});

test('P9: a 4xx reply is tried again and the notice sent once; a 5xx marks it failed and the others go', async () => {
  const smtp = await server({
    onRcpt: (address, n) => (address === 'm1@example.org' && n === 1 ? { code: 451, text: 'greylisted, try again' } : address === 'm2@example.org' ? { code: 550, text: 'no such mailbox' } : undefined),
  });
  const { db, run } = await setup(4, smtp.url);
  const r = await run(['notice', 'send', '--all-pending']);
  expect(r.code).toBe(3);
  expect(r.stderr).toContain('sent 3, failed 1, uncertain 0\n');
  expect(r.stderr).toMatch(/consort: 1 notice was not sent \(/);
  expect(smtp.countsByRecipient()).toEqual({ 'm0@example.org': 1, 'm1@example.org': 1, 'm3@example.org': 1 });
  const d = await deliveries(db);
  expect(d.find((x) => x.address === 'm1@example.org')).toMatchObject({ state: 'sent' });
  expect(d.find((x) => x.address === 'm2@example.org')).toMatchObject({ state: 'failed', reason: expect.stringContaining('550 no such mailbox') });
  expect((await notices(db)).map((n) => n.to)).toEqual(['m0@example.org', 'm1@example.org', 'm3@example.org']);
  // disclosures check: the failed notice is its own problem, naming what to do.
  const check = await run(['disclosures', 'check', '--format', 'json']);
  expect(check.code).toBe(3);
  const failed = (JSON.parse(check.stdout) as Array<{ code: string; subject: string; message: string; clear: string; id: string }>).find((p) => p.code === 'notice-failed')!;
  expect(failed).toMatchObject({ subject: 'm2@example.org', id: expect.stringMatching(/^notice-failed:d\d+$/) });
  expect(failed.message).toContain('550 no such mailbox');
  expect(failed.clear).toContain('consort notice send --retry-failed');
  // The next run holds the failed one back instead of bouncing it again; --retry-failed tries it.
  const again = await run(['notice', 'send', '--all-pending']);
  expect(again.code).toBe(3);
  expect(lines(again.stdout).filter((l) => l.startsWith('held: failed\tm2@example.org'))).toHaveLength(1);
  expect(smtp.received).toHaveLength(3);
  expect((await run(['notice', 'send', 'm2@example.org', '--retry-failed'])).code).toBe(3);
  expect((await deliveries(db)).find((x) => x.address === 'm2@example.org')).toMatchObject({ state: 'failed', attempts: 2 });
});

test('P9: the server lost after 2 of 5 messages: exit 8, the rest stay pending; the next run sends them, one copy each', async () => {
  let smtp: TestSmtpServer;
  smtp = await server({
    onMail: (i) => {
      if (i === 2) void smtp.stop();
      return i === 2 ? 'drop' : undefined;
    },
  });
  const port = smtp.port;
  const { db, run } = await setup(5, smtp.url);
  const first = await run(['notice', 'send', '--all-pending']);
  expect(first.code).toBe(8);
  expect(first.stderr).toMatch(/^consort: lost the mail server after 2 sent: .*\(the rest are still pending: run consort notice send again once the server is back\)$/m);
  expect(smtp.received).toHaveLength(2);
  expect(await notices(db)).toHaveLength(2);
  expect(JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout)).toHaveLength(3);
  // Back on the same port, with what it had received.
  const back = new TestSmtpServer();
  back.port = port;
  servers.push(await back.start());
  const second = await run(['notice', 'send', '--all-pending']);
  expect(second.stderr).toBe('sent 3, failed 0, uncertain 0\n');
  expect(second.code).toBe(0);
  expect(second.stderr).toBe('sent 3, failed 0, uncertain 0\n');
  const all = [...smtp.received, ...back.received];
  const counts: Record<string, number> = {};
  for (const m of all) counts[m.to[0]!] = (counts[m.to[0]!] ?? 0) + 1;
  expect(counts).toEqual({ 'm0@example.org': 1, 'm1@example.org': 1, 'm2@example.org': 1, 'm3@example.org': 1, 'm4@example.org': 1 });
  // Every recorded notice has its message in a mailbox.
  const ids = new Set(all.map((m) => m.mail.messageId));
  const recorded = await notices(db);
  expect(recorded).toHaveLength(5);
  for (const n of recorded) expect(ids.has(n.message_id!)).toBe(true);
});

test('P9: killed (SIGKILL) while the server holds its answer: the next run sends no second copy and reports it uncertain', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const third = new Promise<void>((r) => (arrived = r));
  const smtp = await server({
    beforeReply: (i) => {
      if (i !== 2) return;
      arrived();
      return held;
    },
  });
  const { db, run } = await setup(5, smtp.url);
  const child = spawn(process.execPath, [BIN, 'notice', 'send', '--all-pending', '--db', db], { env: { PATH: process.env.PATH ?? '', HOME: '/tmp', CONSORT_ACTOR: 'e2e', CONSORT_NOW: NOW, ...ENV }, stdio: 'ignore' });
  const closed = new Promise<NodeJS.Signals | null>((r) => child.on('close', (_c, s) => r(s)));
  await third;
  child.kill('SIGKILL');
  expect(await closed).toBe('SIGKILL');
  release();
  expect(smtp.received).toHaveLength(3);
  const uncertainTo = smtp.received[2]!.to[0]!;
  expect(await notices(db)).toHaveLength(2);
  // Even a dry run, which changes nothing, holds back what a stopped run was sending.
  const dry = await run(['notice', 'send', '--all-pending', '--dry-run']);
  expect(lines(dry.stdout).filter((l) => l.startsWith(`held: uncertain\t${uncertainTo}\t`))).toHaveLength(1);
  const r = await run(['notice', 'send', '--all-pending']);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/^consort: warning: 1 notice was being sent when a run stopped: uncertain, not sent again/m);
  expect(lines(r.stdout).filter((l) => l.startsWith(`held: uncertain\t${uncertainTo}\t`))).toHaveLength(1);
  expect(Object.values(smtp.countsByRecipient())).toEqual([1, 1, 1, 1, 1]);
  expect(await notices(db)).toHaveLength(4);
  const check = JSON.parse((await run(['disclosures', 'check', '--format', 'json'])).stdout) as Array<{ code: string; subject: string }>;
  expect(check.filter((p) => p.code === 'notice-uncertain').map((p) => p.subject)).toEqual([uncertainTo]);
  // A person looks at the mail log: it arrived. Recording it by hand settles it.
  const [pending] = JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout) as Array<{ disclosure: number; to: string }>;
  expect(pending!.to).toBe(uncertainTo);
  expect((await run(['notice', 'record', uncertainTo, '--disclosure', String(pending!.disclosure)])).code).toBe(0);
  expect((await run(['disclosures', 'check', '--format', 'json'])).code).toBe(0);
  expect((await run(['notice', 'send', '--all-pending'])).code).toBe(0);
  expect(smtp.received).toHaveLength(5);
});

test('P9: --resend-uncertain sends an uncertain notice again, on purpose', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const first = new Promise<void>((r) => (arrived = r));
  const smtp = await server({ beforeReply: (i) => (i === 0 ? (arrived(), held) : undefined) });
  const { db, run } = await setup(1, smtp.url);
  const child = spawn(process.execPath, [BIN, 'notice', 'send', '--all-pending', '--db', db], { env: { PATH: process.env.PATH ?? '', HOME: '/tmp', CONSORT_NOW: NOW, ...ENV }, stdio: 'ignore' });
  const closed = new Promise((r) => child.on('close', r));
  await first;
  child.kill('SIGKILL');
  await closed;
  release();
  expect((await run(['notice', 'send', '--all-pending'])).code).toBe(3);
  const again = await run(['notice', 'send', 'm0@example.org', '--resend-uncertain']);
  expect(again.code).toBe(0);
  expect(smtp.countsByRecipient()).toEqual({ 'm0@example.org': 2 });
  // Both copies carry the notice's one Message-ID, so a mail reader can tell them for one.
  expect(new Set(smtp.received.map((m) => m.mail.messageId)).size).toBe(1);
  expect((await notices(db)).map((n) => n.message_id)).toEqual([smtp.received[0]!.mail.messageId]);
});

test('P9: STARTTLS is required: a server that does not offer it gets nothing (exit 8)', async () => {
  const smtp = await server();
  const { db, run } = await setup(1, `smtp://127.0.0.1:${smtp.port}`);
  const r = await run(['notice', 'send', '--all-pending']);
  expectOneLineError(r, 8);
  expect(r.stderr).toMatch(/offers no STARTTLS/);
  expect(smtp.received).toEqual([]);
  expect(await deliveries(db)).toEqual([]);
  // In clear only on the loopback, and never with a password in the database.
  expectOneLineError(await run(['config', 'set', 'smtp-url', 'smtp://mail.example.org:587?tls=off']), 2);
  const pw = await run(['config', 'set', 'smtp-url', 'smtp://u:s3cret@mail.example.org:587']);
  expectOneLineError(pw, 2);
  expect(pw.stderr).not.toContain('s3cret');
  expect(pw.stderr).toMatch(/a password never goes into the database/);
});

test('P9: the password comes from a file only its owner can read; the URL is shown masked', async () => {
  const smtp = await server({ auth: { user: 'notices', pass: 'pa55:word' } });
  const { dir, db, run } = await setup(1, `smtp://notices@127.0.0.1:${smtp.port}?tls=off`);
  const file = join(dir, 'smtp-password');
  writeFileSync(file, 'pa55:word\n');
  chmodSync(file, 0o644);
  const open = await run(['notice', 'send', '--all-pending'], { CONSORT_SMTP_PASSWORD_FILE: file });
  expectOneLineError(open, 2);
  expect(open.stderr).toMatch(/can be read by others \(mode 0644\) \(chmod 600 /);
  expect(smtp.connections).toBe(0);
  chmodSync(file, 0o600);
  const wrong = await run(['notice', 'send', '--all-pending'], { CONSORT_SMTP_URL: `smtp://notices:wr0ng@127.0.0.1:${smtp.port}?tls=off` });
  expectOneLineError(wrong, 8);
  expect(wrong.stderr).toMatch(/refused the login/);
  expect(wrong.stderr).not.toContain('wr0ng');
  expect(wrong.stderr).toContain(`smtp://notices:***@127.0.0.1:${smtp.port}?tls=off`);
  const ok = await run(['notice', 'send', '--all-pending'], { CONSORT_SMTP_PASSWORD_FILE: file });
  expect(ok.code).toBe(0);
  expect(smtp.received).toHaveLength(1);
  expect(readFileSync(file, 'utf8')).toBe('pa55:word\n');
  expect((await rowsAt<{ n: number }>(db, "select count(*) as n from settings where value like '%pa55%'"))[0]!.n).toBe(0);
});

test('P9: no real From, no send (exit 2 naming controller-contact); --dry-run connects to nothing', async () => {
  const smtp = await server();
  const { db, run } = await setup(2, smtp.url);
  const dry = await run(['notice', 'send', '--all-pending', '--dry-run']);
  expect(dry.code).toBe(0);
  expect(lines(dry.stdout).slice(1).map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual(['would send m0@example.org', 'would send m1@example.org']);
  expect(dry.stderr).toContain('would send 2; nothing was sent');
  expect(smtp.connections).toBe(0);
  await run(['config', 'set', 'controller-contact', 'privacy@consortium.example']);
  const placeholder = await run(['notice', 'send', '--all-pending']);
  expectOneLineError(placeholder, 2);
  expect(placeholder.stderr).toMatch(/^consort: controller-contact is a placeholder/);
  expect(smtp.connections).toBe(0);
  expect(await deliveries(db)).toEqual([]);
  expectOneLineError(await run(['notice', 'send']), 2);
  expectOneLineError(await run(['notice', 'send', '--all-pending', 'm0@example.org']), 2);
  expectOneLineError(await run(['notice', 'send', 'nobody@example.org', '--dry-run']), 5);
});

test('P9: a backlog of more than a page of notices goes out whole, once each, soonest due first; --limit sends that many', async () => {
  const smtp = await server();
  const { run } = await setup(1100, smtp.url);
  const first = await run(['notice', 'send', '--all-pending', '--limit', '5']);
  expect(first.code).toBe(0);
  expect(smtp.received).toHaveLength(5);
  const rest = await run(['notice', 'send', '--all-pending']);
  expect(rest.code).toBe(0);
  expect(rest.stderr).toBe('sent 1095, failed 0, uncertain 0\n');
  const counts = Object.values(smtp.countsByRecipient());
  expect(counts).toHaveLength(1100);
  expect(counts.every((n) => n === 1)).toBe(true);
  expect(JSON.parse((await run(['notice', 'pending', '--format', 'json'])).stdout)).toEqual([]);
}, 120_000);

test('P9: one run at a time: a second notice send while the first is sending is refused (exit 6), and nobody gets two copies', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const first = new Promise<void>((r) => (arrived = r));
  const smtp = await server({ beforeReply: (i) => (i === 0 ? (arrived(), held) : undefined) });
  const { db, run } = await setup(3, smtp.url);
  const a = run(['notice', 'send', '--all-pending']);
  await first;
  const b = await run(['notice', 'send', '--all-pending']);
  expectOneLineError(b, 6);
  expect(b.stderr).toMatch(/^consort: notice send is already running \(process \d+ on .*\) \(wait for it to finish/);
  release();
  const done = await a;
  expect(done.code).toBe(0);
  expect(smtp.countsByRecipient()).toEqual({ 'm0@example.org': 1, 'm1@example.org': 1, 'm2@example.org': 1 });
  expect(await notices(db)).toHaveLength(3);
  // The lease is given back: the next run goes (nothing left to send).
  expect((await run(['notice', 'send', '--all-pending'])).code).toBe(0);
});

test('P9: erasure removes what notice send kept of the address (deliveries, server replies)', async () => {
  const smtp = await server({ onRcpt: (address) => (address === 'm1@example.org' ? { code: 550, text: 'no such mailbox m1@example.org' } : undefined) });
  const { db, run } = await setup(2, smtp.url);
  expect((await run(['notice', 'send', '--all-pending'])).code).toBe(3);
  expect((await rowsAt(db, "select count(*) as n from notice_delivery where address = 'm1@example.org'"))[0]).toMatchObject({ n: expect.anything() });
  for (const who of ['m0@example.org', 'm1@example.org']) expect((await run(['member', 'erase', who, '--reason', 'request', '--yes'])).code).toBe(0);
  expect(await rowsAt(db, 'select address from notice_delivery')).toEqual([]);
  expect(await rowsAt(db, 'select reply from notice where reply is not null')).toEqual([]);
});

test('P9: bad mail settings are one clear line, never a crash', async () => {
  const { dir, run } = await setup(1);
  expectOneLineError(await run(['config', 'set', 'smtp-url', 'smtp://u%ZZ@mail.example.org:587']), 2);
  expectOneLineError(await run(['notice', 'send', '--all-pending'], { CONSORT_SMTP_URL: 'smtp://u:pa%E0%A4%Apw@127.0.0.1:2605?tls=off' }), 2);
  expectOneLineError(await run(['notice', 'send', '--all-pending'], { CONSORT_SMTP_URL: 'smtp://u@127.0.0.1:2605?tls=off', CONSORT_SMTP_PASSWORD_FILE: dir }), 2);
  for (const contact of ['privacy office', 'privacy@example', 'privacy@mail.example.com', 'privacy@localhost']) {
    await run(['config', 'set', 'controller-contact', contact]);
    const r = await run(['notice', 'send', '--all-pending'], { CONSORT_SMTP_URL: 'smtp://127.0.0.1:2605?tls=off' });
    expectOneLineError(r, 2);
    expect(r.stderr).toMatch(/^consort: controller-contact /);
  }
});

import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { maskUrl } from '../db/target.js';
import { parseSmtpUrl, type SmtpTarget } from '../domain/settings/smtp-url.js';
import { MailServerError, UsageError, fsReason } from '../errors.js';

/**
 * How a message that was not accepted stands: `temporary` (a 4xx reply: try again later),
 * `permanent` (5xx: it will never be accepted as it is), `unsent` (no reply, and the message was
 * never handed over whole: certainly not delivered), `uncertain` (handed over whole, then the
 * connection failed before the server answered: it may have been accepted).
 */
export type SendFailureKind = 'temporary' | 'permanent' | 'unsent' | 'uncertain';

export class SendFailure extends Error {
  constructor(
    readonly kind: SendFailureKind,
    readonly reply: string,
  ) {
    super(reply);
  }
}

/** A mail server that takes one message at a time. */
export interface Mailer {
  /** Connects, greets, starts TLS and logs in: throws MailServerError when the server cannot be used at all. */
  verify(): Promise<void>;
  /** Sends one message (RFC 5322, LF or CRLF line ends); resolves with the server's reply once accepted, else throws SendFailure. */
  send(from: string, to: string, message: string): Promise<string>;
  close(): void;
}

type NodemailerError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

/** Words for why a server could not be used, from nodemailer's error. */
function serverProblem(where: string, e: NodemailerError): MailServerError {
  const text = (e.response ?? e.message).replace(/\s+/g, ' ').trim();
  if (e.code === 'EAUTH') return new MailServerError(`the mail server at ${where} refused the login: ${text}`, 'check the user in smtp-url and CONSORT_SMTP_PASSWORD or CONSORT_SMTP_PASSWORD_FILE');
  if (e.code === 'ETLS' || /STARTTLS/i.test(text)) return new MailServerError(`the mail server at ${where} offers no STARTTLS: ${text}`, 'consort sends notices only encrypted: use the server\'s TLS port (smtps://host:465), or ?tls=off for a test server on this machine');
  if (e.code === 'ESOCKET' && /certificate|self.signed|SSL|TLS/i.test(text)) return new MailServerError(`TLS with the mail server at ${where} failed: ${text}`, 'the server\'s certificate must be trusted (NODE_EXTRA_CA_CERTS names a CA file)');
  return new MailServerError(`cannot reach the mail server at ${where}: ${text}`);
}

/** A Mailer over nodemailer: one pooled connection, reused for every message, reconnecting when it drops. */
export async function smtpMailer(t: SmtpTarget, where: string): Promise<Mailer> {
  const nodemailer = (await import('nodemailer')).default;
  /**
   * Whether the server said "go ahead" (354) to the message being sent: from then on its data is
   * on the way, and a failure before the final reply may hide an acceptance. nodemailer tells
   * this only through its transaction log, which is read here and kept nowhere.
   */
  let dataStarted = false;
  const quiet = () => {};
  const logger = {
    trace: quiet, info: quiet, warn: quiet, error: quiet, fatal: quiet,
    debug(entry: { tnx?: string } | undefined, message: unknown) {
      if (entry?.tnx === 'server' && /^354/.test(String(message))) dataStarted = true;
    },
  };
  const transport = nodemailer.createTransport({
    logger: logger as never,
    transactionLog: true,
    host: t.host,
    port: t.port,
    secure: t.secure,
    requireTLS: !t.secure && t.tls,
    ignoreTLS: !t.tls,
    auth: t.user ? { user: t.user, pass: t.password ?? '' } : undefined,
    name: hostname(),
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        transport.close();
        throw serverProblem(where, err as NodemailerError);
      }
    },
    async send(from, to, message) {
      dataStarted = false;
      try {
        const info = await transport.sendMail({ envelope: { from, to: [to] }, raw: message });
        return String(info.response ?? '250 accepted');
      } catch (err) {
        const e = err as NodemailerError;
        const reply = (e.response ?? e.message).replace(/\s+/g, ' ').trim();
        const code = e.responseCode;
        if (code !== undefined && code >= 400 && code < 500) throw new SendFailure('temporary', reply);
        if (code !== undefined && code >= 500) throw new SendFailure('permanent', reply);
        throw new SendFailure(dataStarted ? 'uncertain' : 'unsent', reply);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The mail server of a run: CONSORT_SMTP_URL, else the smtp-url setting; the password from the
 * URL (CONSORT_SMTP_URL only), else CONSORT_SMTP_PASSWORD, else the file CONSORT_SMTP_PASSWORD_FILE
 * names, which must be readable by its owner alone.
 */
export function resolveSmtpTarget(env: Record<string, string | undefined>, stored: string): { target: SmtpTarget; shown: string } {
  const fromEnv = env.CONSORT_SMTP_URL;
  const url = fromEnv !== undefined && fromEnv !== '' ? fromEnv : stored;
  if (!url) throw new UsageError('no mail server is set', 'consort config set smtp-url smtp://mail.example.org:587, or CONSORT_SMTP_URL for one run');
  const shown = maskUrl(url);
  const t = parseSmtpUrl(url);
  if (typeof t === 'string') throw new UsageError(`${fromEnv ? 'CONSORT_SMTP_URL' : 'smtp-url'} ${shown} ${t}`, 'e.g. smtp://user@mail.example.org:587');
  if (t.password === undefined && env.CONSORT_SMTP_PASSWORD) t.password = env.CONSORT_SMTP_PASSWORD;
  const file = env.CONSORT_SMTP_PASSWORD_FILE;
  if (t.password === undefined && file) {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (err) {
      throw new UsageError(`cannot read CONSORT_SMTP_PASSWORD_FILE ${file}: ${fsReason(err)}`, 'name a file that holds the password');
    }
    if (mode & 0o077) throw new UsageError(`CONSORT_SMTP_PASSWORD_FILE ${file} can be read by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')})`, `chmod 600 ${file}`);
    try {
      t.password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(`cannot read CONSORT_SMTP_PASSWORD_FILE ${file}: ${fsReason(err)}`, 'name a file that holds the password');
    }
  }
  if (t.password !== undefined && !t.user) throw new UsageError(`a password is given but ${shown} names no user`, 'e.g. smtp://notices@mail.example.org:587');
  return { target: t, shown };
}

/** CONSORT_SMTP_RETRY_MS: the first wait before a message is tried again (milliseconds; 2000 unset). */
export function smtpRetryMs(env: Record<string, string | undefined>): number {
  const raw = env.CONSORT_SMTP_RETRY_MS;
  if (raw === undefined || raw === '') return 2000;
  if (!/^\d{1,7}$/.test(raw.trim())) throw new UsageError(`CONSORT_SMTP_RETRY_MS is not a number of milliseconds: '${raw}'`, 'e.g. CONSORT_SMTP_RETRY_MS=5000');
  return Number(raw);
}

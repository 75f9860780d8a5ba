/**
 * The mail server notice send talks to: smtp://[user@]host[:port] with STARTTLS required (587 by
 * default), or smtps://[user@]host[:port], TLS from the start (465). `?tls=off` sends in clear,
 * and only to a server on this machine's loopback. The password never comes from here when the
 * URL is stored: it is read from CONSORT_SMTP_PASSWORD or CONSORT_SMTP_PASSWORD_FILE.
 */
export interface SmtpTarget {
  secure: boolean;
  host: string;
  port: number;
  user?: string;
  /** Only from CONSORT_SMTP_URL, never from the database. */
  password?: string;
  tls: boolean;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

/** Parses an smtp(s) URL; a string says what is wrong with it. */
export function parseSmtpUrl(url: string): SmtpTarget | string {
  let u: URL;
  if (!/^smtps?:\/\//i.test(url)) return "must start with smtp:// (STARTTLS) or smtps:// (TLS), e.g. smtp://mail.example.org:587";
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL, e.g. smtp://mail.example.org:587';
  }
  if (!u.hostname) return 'names no host';
  const secure = u.protocol.toLowerCase() === 'smtps:';
  const params = [...u.searchParams.keys()];
  const unknown = params.filter((k) => k !== 'tls');
  if (unknown.length) return `has an unknown parameter '${unknown[0]}' (only ?tls=off is known)`;
  const tlsParam = u.searchParams.get('tls');
  if (tlsParam !== null && tlsParam !== 'off') return "takes ?tls=off or nothing";
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (tlsParam === 'off' && secure) return '?tls=off goes with smtp://, not smtps://';
  if (tlsParam === 'off' && !LOOPBACK.test(host)) return '?tls=off is allowed only for a server on the loopback (127.0.0.1, ::1, localhost): anywhere else the notices would cross the network in clear';
  if (u.pathname && u.pathname !== '/') return 'has a path; give only smtp://[user@]host[:port]';
  let user: string | undefined;
  let password: string | undefined;
  try {
    user = u.username ? decodeURIComponent(u.username) : undefined;
    password = u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return 'has a user or password with a broken %-escape (write % as %25)';
  }
  return { secure, host, port: u.port ? Number(u.port) : secure ? 465 : 587, user, password, tls: tlsParam !== 'off' };
}

/** The check of the smtp-url setting: empty (unset), or a URL without a password. */
export function smtpUrlProblem(url: string): string | undefined {
  if (url === '') return undefined;
  const t = parseSmtpUrl(url);
  if (typeof t === 'string') return t;
  if (t.password !== undefined) return 'holds a password: a password never goes into the database (use CONSORT_SMTP_PASSWORD or CONSORT_SMTP_PASSWORD_FILE)';
  return undefined;
}

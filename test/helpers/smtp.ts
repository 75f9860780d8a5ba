import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

/** A message the test server received: its envelope and the message as mailparser reads it. */
export interface Received {
  from: string;
  to: string[];
  raw: string;
  mail: ParsedMail;
}

/** What the test server does at each step; each hook may answer with an SMTP error (`{ code, text }`). */
export interface ServerBehaviour {
  onRcpt?(address: string, count: number): { code: number; text: string } | undefined;
  onMail?(index: number, socket: Socket): { code: number; text: string } | 'drop' | undefined;
  /** Called once the whole message is in; return a promise to hold the server's reply back. */
  beforeReply?(index: number, received: Received): Promise<void> | void;
  auth?: { user: string; pass: string };
  /** Offer STARTTLS (with smtp-server's own test certificate); off by default. */
  starttls?: boolean;
}

/** A real SMTP server on the loopback (smtp-server), keeping what it received. */
export class TestSmtpServer {
  readonly received: Received[] = [];
  connections = 0;
  private server?: SMTPServer;
  private mails = 0;
  private rcpts = new Map<string, number>();
  port = 0;

  constructor(private readonly behaviour: ServerBehaviour = {}) {}

  /** Starts listening (on a new port, or again on the port it had). */
  async start(): Promise<this> {
    const b = this.behaviour;
    const reply = (e: { code: number; text: string }) => Object.assign(new Error(e.text), { responseCode: e.code });
    const options: SMTPServerOptions = {
      logger: false,
      disabledCommands: [...(b.starttls ? [] : ['STARTTLS']), ...(b.auth ? [] : ['AUTH'])],
      authOptional: !b.auth,
      allowInsecureAuth: true,
      onConnect: (_s, cb) => {
        this.connections++;
        cb();
      },
      onAuth: (auth, _s, cb) => (b.auth && auth.username === b.auth.user && auth.password === b.auth.pass ? cb(null, { user: auth.username }) : cb(reply({ code: 535, text: 'authentication failed' }))),
      onMailFrom: (_a, session: SMTPServerSession, cb) => {
        const r = b.onMail?.(this.mails++, (session as unknown as { _socket?: Socket })._socket ?? ({} as Socket));
        if (r === 'drop') {
          for (const c of (this.server as unknown as { connections: Set<{ _socket: Socket }> }).connections) c._socket.destroy();
          return;
        }
        return r ? cb(reply(r)) : cb();
      },
      onRcptTo: (a, _s, cb) => {
        const n = (this.rcpts.get(a.address) ?? 0) + 1;
        this.rcpts.set(a.address, n);
        const r = b.onRcpt?.(a.address, n);
        return r ? cb(reply(r)) : cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const got: Received = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, mail: await simpleParser(raw) };
          this.received.push(got);
          await b.beforeReply?.(this.received.length - 1, got);
          cb(null, `queued as t${this.received.length}`);
        });
      },
    };
    this.server = new SMTPServer(options);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** smtp:// URL of this server, in clear (it is on the loopback). */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  /** Stops listening and drops every connection. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const c of (s as unknown as { connections: Set<{ _socket: Socket }> }).connections) c._socket.destroy();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** How many messages each address received. */
  countsByRecipient(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.received) for (const t of r.to) counts[t] = (counts[t] ?? 0) + 1;
    return counts;
  }
}

/** A port nothing listens on (one that a server had a moment ago). */
export async function closedPort(): Promise<number> {
  const s = await new TestSmtpServer().start();
  const port = s.port;
  await s.stop();
  return port;
}

// A mail server on the loopback that accepts every message and keeps none: for trying
// `consort notice send` (README) and for `npm run bench`. Usage: node bench/smtp-sink.mjs [PORT]
// It prints "listening PORT", then the count of messages received when it is stopped (SIGTERM, ^C).
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, done) {
    stream.resume();
    stream.on('end', () => done(null, `queued as sink-${++received}`));
  },
});
const stop = () => {
  console.log(`received ${received}`);
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.listen(Number(process.argv[2] ?? 2525), '127.0.0.1', () => console.log(`listening ${server.server.address().port}`));

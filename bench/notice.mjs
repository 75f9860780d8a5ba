// notice send throughput (SPEC section 7: at least 200 messages a second to an SMTP server on the
// same machine, memory flat): N new members, each with a pending announcement notice, sent to
// bench/smtp-sink.mjs on the loopback. Usage: npm run bench:notice (BENCH_NOTICES=10000).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BIN, DATA, ENV, peopleCsv, removeDatabase } from './common.mjs';

/** Sends `notices` notices (60% of the generated people are members); returns messages a second and peak RSS. */
export async function benchNoticeSend(notices) {
  const people = Math.ceil(notices / 0.6);
  const csv = await peopleCsv(people);
  const db = join(DATA, `notices-${notices}.db`);
  removeDatabase(db);
  const run = (...args) => execFileSync(process.execPath, [BIN, ...args, '--db', db, '-q'], { env: ENV, stdio: 'ignore' });
  run('init');
  run('member', 'import', csv);
  run('config', 'set', 'controller-contact', 'privacy@bench.consortium.org');
  const sink = spawn(process.execPath, [fileURLToPath(new URL('./smtp-sink.mjs', import.meta.url)), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [first] = await once(sink.stdout, 'data');
  const port = /listening (\d+)/.exec(String(first))[1];
  try {
    const pending = Number(execFileSync(process.execPath, [BIN, 'notice', 'pending', '--format', 'tsv', '--db', db], { env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n').length - 1);
    const t = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, 'notice', 'send', '--all-pending', '--db', db, '-q', '--format', 'tsv'], {
      env: { ...ENV, CONSORT_SMTP_URL: `smtp://127.0.0.1:${port}?tls=off` },
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    if (r.status !== 0) throw new Error(`notice send failed (${r.status}): ${r.stderr}`);
    const mb = Number(r.stderr.trim().split('\n').at(-1)) / 1024;
    return { notices: pending, seconds, perSecond: pending / seconds, mb };
  } finally {
    sink.kill('SIGTERM');
    removeDatabase(db);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.env.BENCH_NOTICES ?? 10000);
  const small = await benchNoticeSend(Math.round(n / 2));
  const r = await benchNoticeSend(n);
  console.log(`notice send: ${r.notices} notices in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)} messages/s (target >= 200), peak ${r.mb.toFixed(0)} MB (${small.notices} notices: ${small.mb.toFixed(0)} MB)`);
  process.exitCode = r.perSecond >= 200 ? 0 : 3;
}

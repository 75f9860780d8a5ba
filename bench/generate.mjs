// Generates bench data: N people as members CSV (name,email,organization,status,newsletter).
// Invented names at reserved example domains; no personal data.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const GIVEN = ['Amara', 'Bjørn', 'Chen', 'Dolores', 'Emeka', 'Fatima', 'Giulia', 'Hiroshi', 'Ingrid', 'José', 'Kavya', 'Lars', 'Mei', 'Nikolai'];
const FAMILY = ['Okafor', 'Lindqvist', 'Wang', 'García', 'Nakamura', 'Haddad', 'Rossi', 'Müller', 'Kowalski', 'Patel', 'Dubois'];

/** Writes `rows` people to `file`; 60% members, the rest contacts of whom 40% asked for the newsletter. */
export async function writePeopleCsv(file, rows) {
  const out = createWriteStream(file);
  out.write('name,email,organization,status,newsletter\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const g = GIVEN[i % GIVEN.length];
    const f = FAMILY[(i * 7) % FAMILY.length];
    const member = i % 5 < 3;
    buf += `${g} ${f},person${i}@org${i % 500}.example.org,Organisation ${i % 500},${member ? 'member' : 'contact'},${member ? '' : i % 5 === 3 ? 'yes' : 'no'}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/**
 * Writes `rows` site-log events of members of writePeopleCsv(people) as NDJSON, and the
 * same events as CSV for the sqlite3 baseline; every other event is on document `doc`.
 */
export async function writeEvents(ndjsonFile, csvFile, rows, people, doc) {
  const nd = createWriteStream(ndjsonFile);
  const csv = createWriteStream(csvFile);
  csv.write('email,action,at,document\n');
  let a = '';
  let b = '';
  const flush = async () => {
    // Listen for both drains before waiting on either, or one may pass unseen.
    const waits = [nd.write(a) ? null : once(nd, 'drain'), csv.write(b) ? null : once(csv, 'drain')];
    a = b = '';
    await Promise.all(waits);
  };
  for (let i = 0; i < rows; i++) {
    let p = (i * 7919) % people;
    p -= p % 5; // i % 5 === 0 is a member in writePeopleCsv
    const email = `person${p}@org${p % 500}.example.org`;
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    const d = i % 2 ? doc : '';
    a += `{"email":"${email}","action":"edit","at":"${at}"${d ? `,"document":"${d}"` : ''}}\n`;
    b += `${email},edit,${at},${d}\n`;
    if (a.length > 1 << 16) await flush();
  }
  await flush();
  nd.end();
  csv.end();
  await Promise.all([once(nd, 'finish'), once(csv, 'finish')]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writePeopleCsv(process.argv[2] ?? 'bench/data/people.csv', Number(process.argv[3] ?? 1_000_000));
}

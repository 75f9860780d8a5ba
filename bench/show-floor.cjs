'use strict';
// The floor of `consort member show` (npm run bench): the least node does to answer it. It loads
// better-sqlite3's native addon by path, with none of the library's JavaScript, opens the database,
// runs member show's two queries (src/domain/member/member.show.repo.ts) and writes them as JSON
// to file descriptor 1. No command line is parsed, nothing is checked, nothing else loads.
// Usage: node bench/show-floor.cjs ADDON DATABASE EMAIL_KEY
const [addonPath, file, key] = process.argv.slice(2);
const addon = { exports: {} };
process.dlopen(addon, addonPath);
const { Database, setErrorConstructor } = addon.exports;
setErrorConstructor(Error);
// filename, as given, in memory, read-only, must exist, busy timeout, verbose, buffer.
const db = new Database(file, file, false, false, true, 5000, null, null);
const person = db
  .prepare(
    `select p.id, p.name, p.email, p.status, o.name as organisation, p.source, p.created_at, p.updated_at
     from person p left join organisation o on o.id = p.organisation_id where p.email_key = ?`,
    {},
    false,
  )
  .get(key);
if (!person) throw new Error(`no person with email key ${key}`);
const consents = db
  .prepare(
    `select c.id, c.purpose, d.slug as document, c.action, c.at, c.basis, c.evidence, c.actor, c.policy_version, c.recorded_at
     from consent_event c left join document d on d.id = c.document_id where c.person_id = ? order by c.at, c.id`,
    {},
    false,
  )
  .all(person.id);
require('node:fs').writeSync(1, `${JSON.stringify({ ...person, consents }, null, 2)}\n`);

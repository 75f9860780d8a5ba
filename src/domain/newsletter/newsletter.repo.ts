import type { Db } from '../../db/connection.js';
import { streamRows } from '../../db/statements.js';

export interface Recipient {
  name: string;
  email: string;
}

const RECIPIENTS = `select p.name, p.email from person p
  where p.erased_at is null and (select c.action from consent_event c
         where c.person_id = p.id and c.purpose = 'newsletter' and c.document_id is null
         order by c.at desc, c.id desc limit 1) = 'grant'
  order by p.id`;

/**
 * Everyone whose latest blanket `newsletter` event is a grant (P1, P6), in order of
 * addition, streamed so memory does not grow with the list: the raw SQLite iterator
 * (one snapshot for the whole read), or a PostgreSQL cursor (one statement, one snapshot).
 */
export function iterateNewsletterRecipients(db: Db): Iterable<Recipient> | AsyncIterable<Recipient> {
  if (db.dialect === 'sqlite') return db.sqlite.prepare<[], Recipient>(RECIPIENTS).iterate();
  return streamRows<Recipient>(db, RECIPIENTS);
}

import type { Db } from '../../db/connection.js';

export interface Recipient {
  name: string;
  email: string;
}

/**
 * Everyone whose latest blanket `newsletter` event is a grant (P1, P6), in order of
 * addition. Streamed from the raw handle so memory does not grow with the list.
 */
export function iterateNewsletterRecipients(db: Db): IterableIterator<Recipient> {
  return db.sqlite
    .prepare<[], Recipient>(
      `select p.name, p.email from person p
       where p.erased_at is null and (select c.action from consent_event c
              where c.person_id = p.id and c.purpose = 'newsletter' and c.document_id is null
              order by c.at desc, c.id desc limit 1) = 'grant'
       order by p.id`,
    )
    .iterate();
}

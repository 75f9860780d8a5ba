import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { eachRow } from '../../db/statements.js';
import { inTransaction } from '../../db/transaction.js';
import type { DataSink } from '../../io/sink.js';
import type { Stamp } from '../audit/audit.service.js';
import { recordExport } from '../export/export.repo.js';
import { newsletterFooter, newsletterHeader, newsletterLine, type NewsletterFormat } from './newsletter.render.js';
import { iterateNewsletterRecipients } from './newsletter.repo.js';

const WRITE_CHUNK = 1 << 16;

/**
 * Streams the newsletter list to a sink and records the export (count, sha256) in
 * the audit log. The sink is committed inside the recording transaction: either
 * the list is delivered and recorded, or neither.
 */
export async function exportNewsletter(db: Db, stamp: Stamp, format: NewsletterFormat, sink: DataSink, onRow?: (n: number) => void) {
  const hash = createHash('sha256');
  const write = (text: string) => {
    hash.update(text);
    return sink.write(text);
  };
  let count = 0;
  try {
    // Drain the iterator into the sink; it reads one snapshot for the whole list. Lines go to the
    // sink (and the hash) some 64 KB at a time: a write a line cost a million awaits at 1M people.
    let text = newsletterHeader(format);
    await eachRow(iterateNewsletterRecipients(db), (r) => {
      text += newsletterLine(format, r, count++);
      if (onRow && count % 1000 === 0) onRow(count);
      if (text.length < WRITE_CHUNK) return;
      const full = text;
      text = '';
      return write(full);
    });
    await write(text + newsletterFooter(format, count));
    const sha256 = hash.digest('hex');
    await inTransaction(db, async (trx) => {
      await recordExport(trx, stamp, { kind: 'newsletter', purpose: 'newsletter', audience: 'mailer', rowCount: count, sha256, destination: sink.destination });
      await sink.commit();
    });
    return { count, sha256, destination: sink.destination };
  } catch (err) {
    await sink.abort();
    throw err;
  }
}

import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/transaction.js';
import type { DataSink } from '../../io/sink.js';
import type { Stamp } from '../audit/audit.service.js';
import { recordExport, type ExportFacts } from './export.repo.js';

/**
 * Delivers a rendered export: writes it to the sink and records it (count, sha256)
 * with its audit entry, committing the sink inside that transaction, so an export
 * is delivered and recorded, or neither.
 */
export async function deliverExport(db: Db, stamp: Stamp, sink: DataSink, text: string, facts: Omit<ExportFacts, 'sha256' | 'destination'>): Promise<{ sha256: string }> {
  const sha256 = createHash('sha256').update(text).digest('hex');
  try {
    await sink.write(text);
    await inTransaction(db, async (trx) => {
      await recordExport(trx, stamp, { ...facts, sha256, destination: sink.destination });
      await sink.commit();
    });
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return { sha256 };
}

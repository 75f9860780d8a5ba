import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';

export interface ExportFacts {
  kind: string;
  purpose: string;
  audience: string;
  rowCount: number;
  sha256: string;
  destination: string | null;
  /** What the audit entry says first, for an export that is more than a file (notice send). */
  summary?: string;
}

/** Records an export and its audit entry; call inside a transaction. */
export async function recordExport(db: Kysely<Database>, stamp: Stamp, e: ExportFacts): Promise<number> {
  const row = await db
    .insertInto('export_record')
    .values({ kind: e.kind, purpose: e.purpose, audience: e.audience, at: stamp.at, actor: stamp.actor, row_count: e.rowCount, sha256: e.sha256, destination: e.destination })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAuditEntry(db, { ...stamp, summary: `${e.summary ? `${e.summary}; ` : ''}export ${e.kind} (purpose ${e.purpose}, audience ${e.audience}): ${e.rowCount} rows, sha256 ${e.sha256}${e.destination ? `, to ${e.destination}` : ''}` });
  return Number(row.id);
}

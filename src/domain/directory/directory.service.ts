import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { csvLine } from '../../io/csv.js';
import type { DataSink } from '../../io/sink.js';
import { safeJson } from '../../io/sanitize.js';
import { tsvLine } from '../../io/tsv.js';
import type { Stamp } from '../audit/audit.service.js';
import { deliverExport } from '../export/export.service.js';

export const DIRECTORY_FORMATS = ['csv', 'tsv', 'json', 'ndjson'] as const;
export type DirectoryFormat = (typeof DIRECTORY_FORMATS)[number];

/** The members-only directory (P6): name, email, organisation of current members; recorded as an export. */
export async function exportDirectory(db: Db, stamp: Stamp, format: DirectoryFormat, sink: DataSink) {
  const rows = await db.kysely
    .selectFrom('person as p')
    .leftJoin('organisation as o', 'o.id', 'p.organisation_id')
    .select(['p.name', 'p.email', 'o.name as organisation'])
    .where('p.status', '=', 'member')
    .where(sql<boolean>`coalesce((select c.action from consent_event c where c.person_id = p.id and c.purpose = 'directory' and c.document_id is null order by c.at desc, c.id desc limit 1), 'grant') = 'grant'`)
    .orderBy('p.name')
    .execute();
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
  rows.sort((a, b) => collator.compare(a.name, b.name));
  const text =
    format === 'json'
      ? safeJson(rows, 2) + '\n'
      : format === 'ndjson'
        ? rows.map((r) => safeJson(r) + '\n').join('')
        : (format === 'csv' ? csvLine : tsvLine)(['name', 'email', 'organisation']) + rows.map((r) => (format === 'csv' ? csvLine : tsvLine)([r.name, r.email, r.organisation])).join('');
  const { sha256 } = await deliverExport(db, stamp, sink, text, { kind: 'directory', purpose: 'members directory (P6)', audience: 'members', rowCount: rows.length });
  return { count: rows.length, sha256 };
}

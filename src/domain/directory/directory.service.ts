import type { Db } from '../../db/connection.js';
import type { DataSink } from '../../io/sink.js';
import type { Stamp } from '../audit/audit.service.js';
import { deliverExport } from '../export/export.service.js';
import { renderDirectory, type DirectoryFormat } from './directory.render.js';
import { listDirectoryEntries } from './directory.repo.js';

export { DIRECTORY_FORMATS, type DirectoryFormat } from './directory.render.js';

/** The members-only directory (P6): name, email, organisation of current members; recorded as an export. */
export async function exportDirectory(db: Db, stamp: Stamp, format: DirectoryFormat, sink: DataSink) {
  const rows = await listDirectoryEntries(db.kysely);
  const { sha256 } = await deliverExport(db, stamp, sink, renderDirectory(format, rows), { kind: 'directory', purpose: 'members directory (P6)', audience: 'members', rowCount: rows.length });
  return { count: rows.length, sha256 };
}

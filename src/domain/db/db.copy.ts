import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import type { Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { schemaState } from '../../db/connection.js';
import { inReadSnapshot, inTransaction } from '../../db/transaction.js';
import { classifyError, ConflictError, ConsortError, ExitCode } from '../../errors.js';
import { appendAuditEntry, hasAuditEntries } from '../audit/audit.repo.js';
import { verifyAudit, type Stamp } from '../audit/audit.service.js';
import { copyTableRows, countRows } from './db.repo.js';
import { resetIdSequence } from '../../db/bulk.js';

/**
 * Every table, parents before children (foreign keys hold at every insert), with the column
 * that orders it. Tables with an id column get their sequence moved past the copied ids.
 */
const TABLES: ReadonlyArray<{ name: keyof Database; order: string; id?: boolean }> = [
  { name: 'settings', order: 'key' },
  { name: 'policy_version', order: 'version' },
  { name: 'organisation', order: 'id', id: true },
  { name: 'person', order: 'id', id: true },
  { name: 'document', order: 'id', id: true },
  { name: 'consent_event', order: 'id', id: true },
  { name: 'export_record', order: 'id', id: true },
  { name: 'audit_entry', order: 'seq' },
  { name: 'audit_head', order: 'seq' },
  { name: 'activity', order: 'id', id: true },
  { name: 'participant_override', order: 'document_id, person_id' },
  { name: 'participation', order: 'document_id, person_id' },
  { name: 'disclosure', order: 'id', id: true },
  { name: 'notice', order: 'id', id: true },
  { name: 'notice_delivery', order: 'id', id: true },
  { name: 'problem_ack', order: 'problem_id' },
  { name: 'erased_email', order: 'hash' },
];

export interface CopyReport {
  from: string;
  to: string;
  tables: Record<string, number>;
  audit: { ok: boolean; entries: number; head: string };
}

/**
 * Copies a whole database into an empty one, SQLite to PostgreSQL or back (SPEC section 6):
 * the target gets the schema from the same migrations, then every row with its id, in one
 * transaction, read from one snapshot of the source; the target's row counts must equal the
 * source's in that snapshot, and the copy's audit chain must verify. The copy is audited in
 * the source first, so the target holds the entry that records it. A target that has the
 * schema but not one audit entry (a copy that failed) is empty enough to copy into.
 */
export async function copyDatabase(source: Db, target: Db, stamp: Stamp, summary = `copy to ${target.path}`): Promise<CopyReport> {
  const state = await schemaState(target);
  const unused = state.state === 'empty' || (state.state === 'current' && !(await hasAuditEntries(target.kysely)));
  if (!unused) throw new ConflictError(`${target.path} already holds a consort database`, 'copy into a new, empty database; consort never merges two');
  await inTransaction(source, (trx) => appendAuditEntry(trx, { ...stamp, summary }));
  try {
    if (state.state === 'empty') await migrateToLatest(target, { create: true });
    const tables = await inReadSnapshot(source, (src) => inTransaction(target, (conn) => copyTables(source, src, target, conn)));
    const audit = await verifyAudit(target);
    if (!audit.ok) throw new ConsortError(`the copy's audit chain does not verify: entry ${audit.firstBad!.seq}: ${audit.firstBad!.reason}`, ExitCode.checkFailed, 'the source may have been altered: run consort audit verify on it');
    return { from: source.path, to: target.path, tables, audit: { ok: audit.ok, entries: audit.entries, head: audit.head } };
  } catch (err) {
    // An error of the target's is told with the target's name (the source's is the command's).
    throw err instanceof ConsortError ? err : (classifyError(err, target.path) ?? err);
  }
}

/** Copies every table, in one transaction on the target (`conn`), and checks its counts against the source's snapshot (`src`). */
async function copyTables(source: Db, src: Kysely<Database>, target: Db, conn: Kysely<Database>): Promise<Record<string, number>> {
  const tables: Record<string, number> = {};
  for (const t of TABLES) {
    const n = await copyTableRows(source, src, conn, t.name, t.order);
    tables[t.name] = n;
    // Explicit ids leave PostgreSQL's identity sequences behind; SQLite's follows by itself.
    if (t.id && target.dialect === 'postgres' && n) await resetIdSequence(conn, t.name);
  }
  for (const t of TABLES) {
    const [there, here] = [await countRows(src, t.name), await countRows(conn, t.name)];
    if (there !== here) throw new ConsortError(`copy of ${t.name} holds ${here} rows where the source has ${there}; nothing was kept`, ExitCode.database);
  }
  return tables;
}

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { schemaState } from '../../db/connection.js';
import { streamRows } from '../../db/statements.js';
import { beginWrite, inTransaction } from '../../db/transaction.js';
import { ConflictError, ConsortError, ExitCode } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import { verifyAudit, type Stamp } from '../audit/audit.service.js';

/**
 * Every table, parents before children (foreign keys hold at every insert), with the column
 * that orders it. Tables with an id column get their sequence moved past the copied ids.
 */
const TABLES: ReadonlyArray<{ name: string; order: string; id?: boolean }> = [
  { name: 'settings', order: 'key' },
  { name: 'policy_version', order: 'version' },
  { name: 'organisation', order: 'id', id: true },
  { name: 'person', order: 'id', id: true },
  { name: 'document', order: 'id', id: true },
  { name: 'consent_event', order: 'id', id: true },
  { name: 'export_record', order: 'id', id: true },
  { name: 'audit_entry', order: 'seq' },
  { name: 'activity', order: 'id', id: true },
  { name: 'participant_override', order: 'document_id, person_id' },
  { name: 'participation', order: 'document_id, person_id' },
  { name: 'disclosure', order: 'id', id: true },
  { name: 'notice', order: 'id', id: true },
  { name: 'erased_email', order: 'hash' },
];

/** Rows per multi-row insert: well inside both engines' limits on bound parameters. */
const BATCH = 500;

export interface CopyReport {
  from: string;
  to: string;
  tables: Record<string, number>;
  audit: { ok: boolean; entries: number; head: string };
}

/**
 * Copies a whole database into an empty one, SQLite to PostgreSQL or back (SPEC section 6):
 * the target gets the schema from the same migrations, then every row with its id, in one
 * transaction; it is then checked by row counts and by verifying its audit chain. The copy
 * is audited in the source first, so the target holds the entry that records it.
 */
export async function copyDatabase(source: Db, target: Db, stamp: Stamp, summary = `copy to ${target.path}`): Promise<CopyReport> {
  if ((await schemaState(target)).state !== 'empty') {
    throw new ConflictError(`${target.path} already holds a consort database`, 'copy into a new, empty database; consort never merges two');
  }
  await inTransaction(source, (trx) => appendAuditEntry(trx, { ...stamp, summary }));
  await migrateToLatest(target, { create: true });

  const tables: Record<string, number> = {};
  await target.kysely.connection().execute(async (conn) => {
    await beginWrite(target, conn);
    try {
      for (const t of TABLES) {
        let batch: Array<Record<string, unknown>> = [];
        let n = 0;
        const flush = async () => {
          if (batch.length) await conn.insertInto(t.name as never).values(batch as never).execute();
          n += batch.length;
          batch = [];
        };
        for await (const row of readTable(source, t.name, t.order)) {
          batch.push(row);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        tables[t.name] = n;
        // Explicit ids leave PostgreSQL's identity sequences behind; SQLite's follows by itself.
        if (t.id && target.dialect === 'postgres' && n) {
          await sql`select setval(pg_get_serial_sequence(${t.name}, 'id'), (select max(id) from ${sql.table(t.name)}))`.execute(conn);
        }
      }
      for (const t of TABLES) {
        const copied = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t.name)}`.execute(conn)).rows[0]!.n);
        if (copied !== tables[t.name]) throw new ConsortError(`copy of ${t.name} holds ${copied} rows, not ${tables[t.name]}; nothing was kept`, ExitCode.database);
      }
      await sql`commit`.execute(conn);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw err;
    }
  });
  const audit = await verifyAudit(target);
  if (!audit.ok) throw new ConsortError(`the copy's audit chain does not verify: entry ${audit.firstBad!.seq}: ${audit.firstBad!.reason}`, ExitCode.checkFailed, 'the source may have been altered: run consort audit verify on it');
  return { from: source.path, to: target.path, tables, audit: { ok: audit.ok, entries: audit.entries, head: audit.head } };
}

/** One table's rows in order, streamed: SQLite's iterator, or a PostgreSQL cursor. */
async function* readTable(db: Db, table: string, order: string): AsyncIterable<Record<string, unknown>> {
  const text = `select * from ${table} order by ${order}`;
  if (db.dialect === 'sqlite') {
    yield* db.sqlite.prepare(text).iterate() as Iterable<Record<string, unknown>>;
    return;
  }
  yield* streamRows<Record<string, unknown>>(db, text);
}

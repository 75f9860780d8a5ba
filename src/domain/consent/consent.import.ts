import type { Db } from '../../db/connection.js';
import type { Input } from '../../io/input/open.js';
import type { Stamp } from '../audit/audit.service.js';
import { runImport, type ImportHooks, type ImportOptions, type RowOutcome, type RowProblem } from '../import/import.js';
import { currentPolicy } from '../policy/policy.service.js';
import type { Kysely } from 'kysely';
import { BulkWriter } from '../../db/bulk.js';
import { peopleByKey } from '../member/member.repo.js';
import type { Database } from '../../db/schema/index.js';
import { CONSENT_EVENT_COLUMNS, consentImportStatements, ledgersOf, type ConsentImportStatements } from './consent.repo.js';
import type { ConsentRow } from './consent.schema.js';

/**
 * Imports consent events (CSV or NDJSON) in one transaction. An import never turns
 * a withdrawal into a grant: a grant for a purpose whose current state is withdrawn
 * is skipped and reported. A row that would not change the state is skipped too.
 */
export async function importConsents(db: Db, stamp: Stamp, input: Input, opts: ImportOptions, hooks?: ImportHooks) {
  return runImport<ConsentRow>(
    db,
    stamp,
    input,
    {
      kind: 'consent',
      prepare: async (conn) => {
        const st: ImportStatements = db.dialect === 'sqlite' ? consentImportStatements(db, conn) : consentBulkStatements(db, conn);
        const { findPerson, findDocument, latest, sameEvent, insert } = st;
        const policy = await currentPolicy(conn);
        return { prefetch: st.prefetch, flush: st.flush, apply: async (row, line): Promise<RowOutcome | RowProblem> => {
          const key = row.email.email;
          const person = await findPerson.get(row.email.key);
          if (!person) return { source: input.name, line, field: 'email', reason: `no person with email ${key}` };
          let documentId: number | null = null;
          if (row.document !== undefined) {
            const doc = await findDocument.get(row.document);
            if (!doc) return { source: input.name, line, field: 'document', reason: `no document '${row.document}'` };
            documentId = doc.id;
          }
          const at = row.at ?? stamp.at;
          if (at > stamp.at) return { source: input.name, line, field: 'at', reason: `${at} is in the future` };
          const current = await latest.get(person.id, row.purpose, documentId);
          const what = `${row.action} ${row.purpose}${row.document ? ` (${row.document})` : ''}`;
          if (row.action === 'grant' && current?.action === 'withdraw') return { line, action: 'SKIP', key, note: `${what}: withdrawn on ${current.at}; an import never re-subscribes` };
          if (current?.action === row.action) return { line, action: 'SKIP', key, note: `${what}: already in that state` };
          if (await sameEvent.get(person.id, row.purpose, documentId, row.action, at)) return { line, action: 'SKIP', key, note: `${what} at ${at}: already recorded` };
          await insert.run(person.id, row.purpose, documentId, row.action, at, 'import', row.evidence ?? `${input.name} line ${line}`, stamp.actor, policy, stamp.at);
          // An event older than the current state is history: the later one stays in force.
          if (current && at < current.at) return { line, action: 'RECORD', key, note: `${what} at ${at}: recorded as history; the later ${current.action} of ${current.at} stays in force` };
          return { line, action: 'RECORD', key, note: what };
        } };
      },
    },
    opts,
    hooks,
  );
}

/** The statements an import runs: a row at a time, or (PostgreSQL) answered from what was read for a thousand rows. */
type ImportStatements = ConsentImportStatements & {
  prefetch?(rows: ConsentRow[]): Promise<void>;
  flush?(): Promise<void>;
};

/**
 * The same statements on PostgreSQL, a thousand rows at a time: the people a chunk names and
 * their ledgers are read in one query each, and kept up to date in memory as rows are added;
 * new events go out as multi-row inserts.
 */
function consentBulkStatements(db: Db, conn: Kysely<Database>): ImportStatements {
  const one = consentImportStatements(db, conn);
  const writer = new BulkWriter(conn, db.copyFrom!);
  let people = new Map<string, { id: number }>();
  let prefetched = new Set<number>();
  let latest = new Map<string, { action: string; at: string }>();
  let recorded = new Set<string>();
  const scope = (p: unknown, purpose: unknown, d: unknown) => `${p}\u0000${purpose}\u0000${d ?? ''}`;
  const event = (p: unknown, purpose: unknown, d: unknown, action: unknown, at: unknown) => `${scope(p, purpose, d)}\u0000${action}\u0000${at}`;
  return {
    async prefetch(rows) {
      await writer.flush();
      people = await peopleByKey(conn, rows.map((r) => r.email.key));
      prefetched = new Set([...people.values()].map((p) => p.id));
      latest = new Map();
      recorded = new Set();
      if (!prefetched.size) return;
      // Oldest first: the last event seen per scope is its current state, as "order by at desc, id desc limit 1" finds.
      const ledger = await ledgersOf(conn, [...prefetched]);
      for (const e of ledger) {
        latest.set(scope(e.person_id, e.purpose, e.document_id), { action: e.action, at: e.at });
        recorded.add(event(e.person_id, e.purpose, e.document_id, e.action, e.at));
      }
    },
    flush: () => writer.flush(),
    findPerson: { get: (k) => people.get(k as string) ?? one.findPerson.get(k) },
    findDocument: one.findDocument,
    latest: {
      get: async (p, purpose, d) => {
        if (prefetched.has(p as number)) return latest.get(scope(p, purpose, d));
        await writer.flush();
        return one.latest.get(p, purpose, d);
      },
    },
    sameEvent: {
      get: async (p, purpose, d, action, at) => {
        if (prefetched.has(p as number)) return recorded.has(event(p, purpose, d, action, at)) ? { id: 0 } : undefined;
        await writer.flush();
        return one.sameEvent.get(p, purpose, d, action, at);
      },
    },
    insert: {
      run: async (...values) => {
        const [p, purpose, d, action, at] = values;
        await writer.add('consent_event', CONSENT_EVENT_COLUMNS, values);
        recorded.add(event(p, purpose, d, action, at));
        // The newest id wins a tie on time: an event at or after the current one becomes current.
        const current = latest.get(scope(p, purpose, d));
        if (!current || (at as string) >= current.at) latest.set(scope(p, purpose, d), { action: action as string, at: at as string });
        return { id: 0, changes: 1 };
      },
    },
  };
}

import type { Db } from '../../db/connection.js';
import type { Input } from '../../io/input.js';
import type { Stamp } from '../audit/audit.service.js';
import { runImport, type ImportHooks, type ImportOptions, type RowOutcome, type RowProblem } from '../import.js';
import { rowParser } from '../schema.js';
import { currentPolicy } from '../policy/policy.service.js';
import { prepare } from '../../db/statements.js';
import { CONSENT_COLUMNS, consentRowSchema, type ConsentRow } from './consent.schema.js';

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
      columns: CONSENT_COLUMNS,
      parse: rowParser(consentRowSchema),
      prepare: async (conn) => {
        const findPerson = prepare<{ id: number }>(db, conn, 'select id from person where email_key = ?');
        const findDocument = prepare<{ id: number }>(db, conn, 'select id from document where slug = ?');
        const latest = prepare<{ action: string; at: string }>(db, conn, 'select action, at from consent_event where person_id = ? and purpose = ? and document_id is ? order by at desc, id desc limit 1');
        const sameEvent = prepare<{ id: number }>(db, conn, 'select id from consent_event where person_id = ? and purpose = ? and document_id is ? and action = ? and at = ? limit 1');
        const insert = prepare(db, conn, 'insert into consent_event (person_id, purpose, document_id, action, at, basis, evidence, actor, policy_version, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        const policy = await currentPolicy(conn);
        return { apply: async (row, line): Promise<RowOutcome | RowProblem> => {
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

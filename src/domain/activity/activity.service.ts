import type { Db } from '../../db/connection.js';
import { andThen, type MaybePromise } from '../../db/statements.js';
import { cached } from '../shared/cache.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, NotFoundError, PolicyError } from '../../errors.js';
import type { Input } from '../../io/input/open.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { emailKey } from '../shared/email.js';
import { runImport, type ImportHooks, type ImportOptions, type RowOutcome, type RowProblem } from '../import/import.js';
import { countParticipation, findActivity, insertActivity, postgresActivityStatements, selectActivity, sqliteActivityStatements, type ActivityFilter } from './activity.repo.js';
import { findPersonByEmail } from '../member/member.repo.js';
import { findDocument } from '../document/document.repo.js';
import type { ActivityLogOptions, ActivityRow } from './activity.schema.js';

/** P5: the site tracks authenticated members only; anyone else's activity is refused. */
export function p5Refusal(email: string, status: string): string {
  return `${email} is ${status === 'former' ? 'a former member' : 'a contact'}, not a member: non-member site access is not tracked`;
}

/** One activity to record, checked as `activity log`'s options are (activity.schema.ts). */
export interface ActivityInput {
  email: string;
  action: ActivityLogOptions['action'];
  document?: string;
  /** ISO 8601, not in the future; default now. */
  at?: string;
  /** The JSON text of an object. */
  detail?: string;
}

/** Records one activity of a member (P5), audited; `at` defaults to now. */
export async function logActivity(db: Db, stamp: Stamp, a: ActivityInput) {
  const { action } = a;
  const at = a.at ?? stamp.at;
  const detail = a.detail ?? null;
  return inTransaction(db, async (trx) => {
    const person = await findPersonByEmail(trx, a.email);
    if (!person) throw new NotFoundError(`no person with email ${a.email}`, { key: 'find-person' });
    if (person.status !== 'member') throw new PolicyError('P5', p5Refusal(person.email, person.status), 'only members are tracked on the site');
    let documentId: number | null = null;
    if (a.document !== undefined) {
      const doc = await findDocument(trx, a.document);
      if (!doc) throw new NotFoundError(`no document '${a.document}'`, 'see consort document list');
      documentId = Number(doc.id);
    }
    const existing = await findActivity(trx, { personId: person.id, at, action, documentId });
    if (existing !== undefined) throw new ConflictError(`this activity is already recorded (#${existing})`, 'an event is one member, time, action and document');
    const id = await insertActivity(trx, { person_id: person.id, at, action, document_id: documentId, detail, recorded_at: stamp.at });
    if (documentId !== null) await countParticipation(trx, documentId, person.id);
    await appendAuditEntry(trx, { ...stamp, summary: `activity #${id} of person #${person.id}${a.document ? ` on document ${a.document}` : ''}` });
    return { id: Number(id), email: person.email, action, at, document: a.document ?? null, detail: detail === null ? null : JSON.parse(detail) };
  });
}

/** Lists activity with filters; `member` is an email. */
export async function listActivity(db: Db, f: ActivityFilter) {
  const memberKey = f.member ? emailKey(f.member) : undefined;
  if (f.member && !(await findPersonByEmail(db.kysely, f.member))) throw new NotFoundError(`no person with email ${f.member}`);
  if (f.document && !(await findDocument(db.kysely, f.document))) throw new NotFoundError(`no document '${f.document}'`, 'see consort document list');
  return selectActivity(db.kysely, { ...f, memberKey });
}

/**
 * Imports site-log events (NDJSON or CSV). A file is one transaction; a pipe is
 * committed in batches as it arrives (see runImport). Unknown members, contacts
 * and former members (P5), bad times and unknown documents are bad rows.
 */
export async function importActivity(db: Db, stamp: Stamp, input: Input, opts: ImportOptions, hooks?: ImportHooks) {
  const bad = (line: number, field: string, reason: string): RowProblem => ({ source: input.name, line, field, reason });
  return runImport<ActivityRow>(db, stamp, input, {
    kind: 'activity',
    analyze: ['activity', 'participation'],
    // Every event reads person pages at random (its member by email key, and the foreign key)
    // and the event index at a random place.
    mapped: true,
    prepare: async (conn) => {
      const st = db.dialect === 'sqlite' ? sqliteActivityStatements(db, conn) : postgresActivityStatements(db, conn);
      // Site logs repeat the same people and documents: lookups cached, bounded.
      const personOf = cached((key) => andThen(st.findPerson.get(key), (found) => found ?? null));
      const documentOf = cached((slug) => andThen(st.findDocument.get(slug), (found) => found?.id ?? null));
      const record = (row: ActivityRow, line: number, personId: number, documentId: number | null) =>
        andThen(st.record(personId, row.at, row.action, documentId, row.detail ?? null, stamp.at), (added): RowOutcome =>
          added ? { line, action: 'ADD', key: row.email.email } : { line, action: 'SKIP', key: row.email.email, note: 'already recorded' });
      // On SQLite every step answers at once, so a row is applied with no promise (andThen).
      const apply = (row: ActivityRow, line: number): MaybePromise<RowOutcome | RowProblem> =>
        andThen(personOf(row.email.key), (person) => {
          if (!person) return bad(line, 'email', `unknown member ${row.email.email}`);
          if (person.status !== 'member') return bad(line, 'email', `P5: ${p5Refusal(row.email.email, person.status)}`);
          if (row.at > stamp.at) return bad(line, 'at', `${row.at} is in the future`);
          if (row.document === undefined) return record(row, line, person.id, null);
          const slug = row.document;
          return andThen(documentOf(slug), (id) => (id === null ? bad(line, 'document', `unknown document '${slug}'`) : record(row, line, person.id, id)));
        });
      return { prefetch: st.prefetch, flush: st.flush, apply };
    },
  }, opts, hooks);
}

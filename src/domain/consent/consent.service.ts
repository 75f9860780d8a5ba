import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import { PURPOSES, type Basis, type Database, type Purpose } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { consentHistory, insertConsentEvent, latestConsent } from './consent.repo.js';
import { findDocument } from '../document/document.repo.js';
import { findPersonByEmail } from '../member/member.repo.js';

/** Checks a purpose name from the command line. */
export function checkPurpose(p: string): Purpose {
  if (!(PURPOSES as readonly string[]).includes(p)) throw new UsageError(`unknown purpose '${p}'`, `use one of: ${PURPOSES.join(', ')}`);
  return p as Purpose;
}

/** Looks a person up by email for the consent commands. */
export async function personByEmail(db: Kysely<Database>, email: string) {
  const p = await findPersonByEmail(db, email);
  if (!p) throw new NotFoundError(`no person with email ${email}`, { key: 'find-person' });
  return p;
}

/** Finds a document by slug for a per-document consent. */
export async function documentIdBySlug(db: Kysely<Database>, slug: string): Promise<number> {
  const d = await findDocument(db, slug);
  if (!d) throw new NotFoundError(`no document '${slug}'`, 'see consort document list');
  return Number(d.id);
}

/** A grant or withdrawal to record, checked as `consent grant|withdraw`'s options are (consent.schema.ts). */
export interface ConsentChange {
  email: string;
  purpose: Purpose;
  action: 'grant' | 'withdraw';
  /** A document scope: for the credit purpose only. */
  document?: string;
  basis?: Basis;
  evidence?: string;
  /** When it was given: ISO 8601, not in the future; default now. */
  at?: string;
}

/**
 * Appends a grant or withdrawal to the ledger, audited. A document scope is only
 * meaningful for `credit` (P8); a per-document event overrides the blanket one.
 */
export async function recordConsent(db: Db, stamp: Stamp, c: ConsentChange) {
  const { purpose } = c;
  const basis = c.basis ?? (c.action === 'grant' ? 'request' : 'staff-recorded');
  const at = c.at ?? stamp.at;
  return inTransaction(db, async (trx) => {
    const person = await personByEmail(trx, c.email);
    const documentId = c.document === undefined ? null : await documentIdBySlug(trx, c.document);
    const before = await latestConsent(trx, person.id, purpose, documentId);
    await insertConsentEvent(trx, { person_id: person.id, purpose, document_id: documentId, action: c.action, at, basis, evidence: c.evidence ?? null, actor: stamp.actor, recorded_at: stamp.at });
    const after = await latestConsent(trx, person.id, purpose, documentId);
    await appendAuditEntry(trx, { ...stamp, summary: `consent ${c.action} ${purpose}${c.document ? ` for document ${c.document}` : ''} for person #${person.id} (basis ${basis})` });
    return { email: person.email, purpose, document: c.document ?? null, action: c.action, at, basis, previous: before?.action ?? null, current: after?.action ?? null };
  });
}

export { currentStates, type ConsentState } from './consent.rules.js';
import { currentStates } from './consent.rules.js';

/** Current state per purpose and scope, and the full history, of one person. */
export async function showConsents(db: Db, email: string) {
  const person = await personByEmail(db.kysely, email);
  const history = await consentHistory(db.kysely, person.id);
  return { email: person.email, name: person.name, status: person.status, current: currentStates(history), history };
}

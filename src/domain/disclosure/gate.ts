import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { PolicyError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';

/** A person who should have been told before a release and was not. */
export interface Uninformed {
  /** The planned disclosure, if there is one. */
  disclosure: number | null;
  who: string;
}

/**
 * P9 before a release: refuses when anyone concerned has not been told, unless
 * forced with a reason, which is audited in the same transaction.
 */
export async function p9Gate(trx: Kysely<Database>, stamp: Stamp, what: string, uninformed: Uninformed[], force?: { reason?: string }): Promise<void> {
  if (!uninformed.length) return;
  const names = uninformed.map((u) => u.who).join(', ');
  if (!force) throw new PolicyError('P9', `${what}: ${uninformed.length} ${uninformed.length === 1 ? 'person was' : 'people were'} not informed beforehand (${names})`, { key: 'p9-untold' });
  if (!force.reason?.trim()) throw new UsageError('a forced release needs a reason', { key: 'force-needs-reason', waitFor: 'the notices' });
  await appendAuditEntry(trx, { ...stamp, summary: `P9 override for ${what}: released without notice to ${uninformed.length} (${uninformed.map((u) => (u.disclosure === null ? u.who : `#${u.disclosure}`)).join(', ')}); reason: ${force.reason.trim()}` });
}

/** A disclosure whose date, or the end of the notice period its person was given, has not come. */
export interface Early {
  disclosure: number;
  who: string;
  /** The first day it may be released: its due date, and at least `notice-days` after the notice. */
  notBefore: string;
}

/**
 * P9, the other half: a notice promises time to object, so a release before the end of that
 * notice period is refused as one without notice is, unless forced with a reason, which is
 * audited in the same transaction.
 */
export async function p9NoticePeriodGate(trx: Kysely<Database>, stamp: Stamp, what: string, early: Early[], force?: { reason?: string }): Promise<void> {
  if (!early.length) return;
  const latest = early.reduce((max, e) => (e.notBefore > max ? e.notBefore : max), early[0]!.notBefore);
  const names = early.map((e) => `${e.who}: not before ${e.notBefore}`).join(', ');
  if (!force) throw new PolicyError('P9', `${what}: the notice period of ${early.length} ${early.length === 1 ? 'person' : 'people'} has not ended (${names})`, { key: 'p9-early', until: latest });
  if (!force.reason?.trim()) throw new UsageError('a forced release needs a reason', { key: 'force-needs-reason', waitFor: 'the end of the notice period' });
  await appendAuditEntry(trx, { ...stamp, summary: `P9 override for ${what}: released before the end of the notice period for ${early.length} (${early.map((e) => `#${e.disclosure} not before ${e.notBefore}`).join(', ')}); reason: ${force.reason.trim()}` });
}

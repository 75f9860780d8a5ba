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
  if (!force) throw new PolicyError('P9', `${what}: ${uninformed.length} ${uninformed.length === 1 ? 'person was' : 'people were'} not informed beforehand (${names})`, 'record the notices with consort notice record, or pass --force --reason TEXT');
  if (!force.reason?.trim()) throw new UsageError('--force needs --reason', 'say why the release cannot wait for the notices');
  await appendAuditEntry(trx, { ...stamp, summary: `P9 override for ${what}: released without notice to ${uninformed.length} (${uninformed.map((u) => (u.disclosure === null ? u.who : `#${u.disclosure}`)).join(', ')}); reason: ${force.reason.trim()}` });
}

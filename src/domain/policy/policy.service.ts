import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, InputError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { insertPolicyVersion, latestGrants, latestPolicy } from './policy.repo.js';

/** The version of the privacy statement in force, or null before any was recorded. */
export async function currentPolicy(db: Kysely<Database>): Promise<string | null> {
  return (await latestPolicy(db))?.version ?? null;
}

/** Records a new version of the privacy statement (its sha256, date and text), audited. */
export async function setPolicy(db: Db, stamp: Stamp, file: string) {
  let text: string;
  try {
    if (statSync(file).size > 1 << 20) throw new InputError(`${file}: larger than 1 MB; a privacy statement is text`, [], 'give the statement as a text or Markdown file');
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, [], 'check the path');
  }
  if (!text.trim()) throw new InputError(`${file} is empty`, [], 'give the text of the privacy statement');
  const sha256 = createHash('sha256').update(text).digest('hex');
  return inTransaction(db, async (trx) => {
    const current = await latestPolicy(trx);
    if (current?.sha256 === sha256) throw new ConflictError(`this text is already the policy in force (${current.version})`);
    const version = `${stamp.at.slice(0, 10)}-${sha256.slice(0, 8)}`;
    await insertPolicyVersion(trx, { version, sha256, set_at: stamp.at, actor: stamp.actor, text });
    await appendAuditEntry(trx, { ...stamp, summary: `privacy statement ${version} in force (sha256 ${sha256}), replacing ${current?.version ?? 'none'}` });
    return { version, sha256, previous: current?.version ?? null };
  });
}

/** People whose current consents were given under an older version of the statement (or before any): ask them again. */
export async function staleConsents(db: Db) {
  const current = await currentPolicy(db.kysely);
  if (!current) return { current: null, stale: [] };
  const rows = await latestGrants(db.kysely);
  return { current, stale: rows.filter((r) => r.version !== current).map((r) => ({ ...r, version: r.version ?? '(none)' })) };
}

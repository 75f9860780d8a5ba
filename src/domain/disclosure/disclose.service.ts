import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError, PolicyError, UsageError } from '../../errors.js';
import type { DataSink } from '../../io/sink.js';
import { safeJson } from '../../io/sanitize.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { consentHistory } from '../consent/consent.repo.js';
import { recordExport } from '../export/export.repo.js';
import { findPersonByEmail } from '../member/member.repo.js';
import { activityOf } from '../activity/activity.repo.js';
import { insertDisclosure, memberFacts } from './disclosure.repo.js';

export interface DiscloseInput {
  email: string;
  to?: string;
  legalBasis?: string;
  noNoticeReason?: string;
}

/**
 * The only way data goes to a third party (P2): refused without a legal basis.
 * Writes the person's data package (record, consents, activity) as JSON to the
 * sink, and records a released `legal` disclosure with recipient and basis, whose
 * notice to the person is pending unless a reason says why they are not told.
 */
export async function disclose(db: Db, stamp: Stamp, input: DiscloseInput, sink: DataSink) {
  const basis = input.legalBasis?.trim();
  if (!basis) throw new PolicyError('P2', 'no identifying data goes to a third party except where mandated by law', { key: 'p2-legal-basis' });
  const recipient = input.to?.trim();
  if (!recipient) throw new UsageError('a disclosure needs a recipient', { key: 'missing-recipient' });
  try {
    return await inTransaction(db, async (trx) => {
      const person = await findPersonByEmail(trx, input.email);
      if (!person) throw new NotFoundError(`no person with email ${input.email}`);
      const activity = await activityOf(trx, person.id);
      const pkg = {
        disclosed_to: recipient,
        legal_basis: basis,
        disclosed_at: stamp.at,
        person: { name: person.name, email: person.email, status: person.status, organisation: person.organisation, created_at: person.created_at },
        consents: (await consentHistory(trx, person.id)).map(({ purpose, document, action, at, basis: b, evidence }) => ({ purpose, document, action, at, basis: b, evidence })),
        activity: activity.map((a) => ({ ...a, detail: a.detail === null ? null : JSON.parse(a.detail) })),
      };
      const text = safeJson(pkg, 2) + '\n';
      const sha256 = createHash('sha256').update(text).digest('hex');
      const { organisationId } = await memberFacts(trx, person.id);
      const id = await insertDisclosure(trx, { kind: 'legal', person_id: person.id, organisation_id: organisationId, audience: 'third-party', recipient, basis, due_on: stamp.at.slice(0, 10), state: 'released', facts: JSON.stringify({ package_sha256: sha256, fields: ['person', 'consents', 'activity'] }), created_at: stamp.at, released_at: stamp.at, no_notice_reason: input.noNoticeReason?.trim() || null });
      await appendAuditEntry(trx, { ...stamp, summary: `lawful disclosure #${id} of person #${person.id} to ${recipient} under ${basis}${input.noNoticeReason ? `; no notice: ${input.noNoticeReason.trim()}` : '; notice pending'}` });
      await sink.write(text);
      await recordExport(trx, stamp, { kind: 'legal disclosure', purpose: 'legal obligation (P2)', audience: 'third-party', rowCount: 1, sha256, destination: sink.destination });
      await sink.commit();
      return { disclosure: Number(id), sha256, noticePending: !input.noNoticeReason };
    });
  } catch (err) {
    await sink.abort();
    throw err;
  }
}

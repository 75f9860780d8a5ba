import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Purpose } from '../../db/schema/index.js';
import { NotFoundError } from '../../errors.js';
import { getSetting } from '../settings/settings.service.js';
import { inTransaction } from '../../db/transaction.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { consentHistory } from './consent.repo.js';
import { erasedAtOf } from '../member/member.repo.js';
import { checkPurpose, currentStates, personByEmail } from './consent.service.js';

/** What each purpose means in a receipt: its category, the personal data it uses, who sees it. */
const PURPOSES: Record<Purpose, { description: string; category: string[]; pii: string[]; thirdParty: string | null }> = {
  newsletter: { description: 'Sending updates on the consortium (newsletter)', category: ['Communications'], pii: ['name', 'email'], thirdParty: null },
  directory: { description: 'Listing in the members-only directory', category: ['Membership administration'], pii: ['name', 'email', 'organisation'], thirdParty: null },
  announcement: { description: 'Public announcement of membership', category: ['Public announcement'], pii: ['name', 'organisation'], thirdParty: 'the public' },
  credit: { description: 'Credit as a participant in released documents', category: ['Attribution'], pii: ['name', 'email', 'organisation'], thirdParty: 'the public' },
};

/**
 * A consent receipt following the Kantara Initiative Consent Receipt Specification
 * v1.1 (KI-CR-v1.1.0), for the person's current grants (or one purpose), filled
 * from the ledger and the controller settings.
 */
export async function consentReceipt(db: Db, stamp: Stamp, email: string, purpose?: string) {
  const person = await personByEmail(db.kysely, email);
  if (await erasedAtOf(db.kysely, person.id)) throw new NotFoundError(`${email} belongs to an erased person`, 'an erased person has no receipt to give');
  const wanted = purpose === undefined ? undefined : checkPurpose(purpose);
  const history = await consentHistory(db.kysely, person.id);
  const granted = currentStates(history).filter((c) => c.state === 'grant' && (!wanted || c.purpose === wanted));
  if (!granted.length) throw new NotFoundError(`${person.email} has no current consent${wanted ? ` for ${wanted}` : ''}`, 'see consort consent show');
  const latest = granted.reduce((a, b) => (a.since > b.since ? a : b));
  const event = [...history].reverse().find((e) => e.purpose === latest.purpose && e.document === latest.document && e.action === 'grant')!;
  const s = async (k: string) => getSetting(db.kysely, k);
  const receiptId = randomUUID();
  await inTransaction(db, (trx) => appendAuditEntry(trx, { ...stamp, summary: `consent receipt ${receiptId} for person #${person.id}${wanted ? ` (${wanted})` : ''}` }));
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: await s('jurisdiction'),
    consentTimestamp: Math.floor(Date.parse(latest.since) / 1000),
    collectionMethod: `${event.basis}${event.evidence ? `: ${event.evidence}` : ''}`,
    consentReceiptID: receiptId,
    language: 'en',
    piiPrincipalId: person.email,
    piiControllers: [
      {
        piiController: await s('controller-name'),
        contact: await s('controller-name'),
        address: { streetAddress: await s('controller-address'), addressCountry: await s('jurisdiction') },
        email: await s('controller-contact'),
        phone: await s('controller-phone'),
        piiControllerUrl: await s('policy-url'),
      },
    ],
    policyUrl: await s('policy-url'),
    services: [
      {
        service: 'Consortium membership administration',
        purposes: granted.map((c) => {
          const p = PURPOSES[c.purpose];
          return {
            purpose: c.document ? `${p.description}: ${c.document}` : p.description,
            purposeCategory: p.category,
            consentType: c.basis === 'membership-terms' ? 'IMPLICIT' : 'EXPLICIT',
            piiCategory: p.pii,
            primaryPurpose: c.purpose === 'directory',
            termination: 'until withdrawn: write to the controller contact, or reply to any notice',
            thirdPartyDisclosure: p.thirdParty !== null,
            ...(p.thirdParty ? { thirdPartyName: p.thirdParty } : {}),
          };
        }),
      },
    ],
    sensitive: false,
    spiCat: [] as string[],
  };
}

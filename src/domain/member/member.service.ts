import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database, PersonStatus } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, InputError, NotFoundError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { insertConsentEvent, latestConsent } from '../consent/consent.repo.js';
import { cancelPlannedAnnouncement, planMembership } from '../disclosure/disclosure.service.js';
import { assertNotErased } from './member.erase.js';
import { normaliseEmail } from '../shared/email.js';
import { orgKey } from '../org/org.repo.js';
import { ensureOrg } from '../org/org.service.js';
import { cleanText } from '../shared/text.js';
import { findPersonByEmail, findPersonById, insertPerson, peoplePagesNotErased, personIdByKey, updatePersonRow, type PersonRow } from './member.repo.js';

/** The purposes a membership brings with it, on basis membership-terms (P6). */
export const MEMBERSHIP_PURPOSES = ['newsletter', 'directory'] as const;

export interface NewPerson {
  name: string;
  email: string;
  org?: string;
  /** Default contact. */
  status?: 'member' | 'contact';
  newsletter?: boolean;
  /** How the contact asked for the newsletter, kept as the consent's evidence. */
  newsletterEvidence?: string;
  source?: string;
  /** Accept an address that belonged to an erased person. */
  allowErased?: boolean;
}

function checkEmail(raw: string) {
  const r = normaliseEmail(raw);
  if ('error' in r) throw new InputError(`invalid email '${raw}': ${r.error}`, [{ field: 'email', reason: r.error }], 'give an address like name@example.org');
  return r;
}

function checkName(raw: string): string {
  const r = cleanText(raw);
  if ('error' in r) throw new InputError(`name ${r.error}`, [], 'give the full name, up to 300 characters');
  return r.value;
}

/**
 * Records the consents that come with membership (P6), except for a purpose the
 * person has withdrawn: membership never overrides an explicit withdrawal.
 * Returns the purposes granted and those left withdrawn.
 */
export async function grantMembershipTerms(db: Kysely<Database>, stamp: Stamp, personId: number) {
  const granted: string[] = [];
  const keptWithdrawn: string[] = [];
  for (const purpose of MEMBERSHIP_PURPOSES) {
    const latest = await latestConsent(db, personId, purpose, null);
    // A withdrawal on the membership terms was the end of an earlier membership, not the person's wish.
    if (latest?.action === 'withdraw' && latest.basis !== 'membership-terms') keptWithdrawn.push(purpose);
    else if (latest?.action !== 'grant') {
      await insertConsentEvent(db, { person_id: personId, purpose, document_id: null, action: 'grant', at: stamp.at, basis: 'membership-terms', evidence: 'requested membership', actor: stamp.actor, recorded_at: stamp.at });
      granted.push(purpose);
    }
  }
  return { granted, keptWithdrawn };
}

/**
 * Leaving membership ends what membership alone granted (P1: a contact is on the newsletter only
 * by their own consent): each purpose whose latest event is a grant on the membership terms is
 * withdrawn on the same basis. A grant the person asked for, or staff recorded, stays.
 */
export async function endMembershipTerms(db: Kysely<Database>, stamp: Stamp, personId: number): Promise<string[]> {
  const withdrawn: string[] = [];
  for (const purpose of MEMBERSHIP_PURPOSES) {
    const latest = await latestConsent(db, personId, purpose, null);
    if (latest?.action !== 'grant' || latest.basis !== 'membership-terms') continue;
    await insertConsentEvent(db, { person_id: personId, purpose, document_id: null, action: 'withdraw', at: stamp.at, basis: 'membership-terms', evidence: 'membership ended', actor: stamp.actor, recorded_at: stamp.at });
    withdrawn.push(purpose);
  }
  return withdrawn;
}

/** Adds one person; a member gets the membership consents (P6), a contact the newsletter only if asked (P1). */
export async function addPerson(db: Db, stamp: Stamp, input: NewPerson) {
  const name = checkName(input.name);
  const { email, key } = checkEmail(input.email);
  const status = input.status ?? 'contact';
  const source = input.source?.trim() || 'staff';
  return inTransaction(db, async (trx) => {
    if ((await personIdByKey(trx, key)) !== undefined) {
      throw new ConflictError(`a person with email ${email} already exists`, `see consort member show ${email}`);
    }
    await assertNotErased(db, trx, key, input.allowErased);
    const org = input.org ? await ensureOrg(trx, stamp, input.org) : undefined;
    const personId = await insertPerson(trx, { name, email, email_key: key, organisation_id: org?.id ?? null, status, source, created_at: stamp.at, updated_at: stamp.at });
    const consents: string[] = [];
    if (status === 'member') {
      consents.push(...(await grantMembershipTerms(trx, stamp, personId)).granted);
      await planMembership(db, trx, stamp, personId);
    }
    else if (input.newsletter) {
      await insertConsentEvent(trx, { person_id: personId, purpose: 'newsletter', document_id: null, action: 'grant', at: stamp.at, basis: 'request', evidence: input.newsletterEvidence ?? 'asked for the newsletter', actor: stamp.actor, recorded_at: stamp.at });
      consents.push('newsletter');
    }
    await appendAuditEntry(trx, { ...stamp, summary: `added person #${personId} (${status})${org?.created ? `, new organisation #${org.id}` : ''}${consents.length ? `; granted ${consents.join(', ')}` : ''}` });
    return { person: (await findPersonByEmail(trx, email))!, consents, createdOrganisation: org?.created ? input.org!.trim() : null };
  });
}

export interface PersonFilter {
  status?: PersonStatus;
  org?: string;
  search?: string;
  limit?: number;
}

/** Lists people, filtered, in order of addition, a page at a time. */
export function listPeople(db: Db, f: PersonFilter): AsyncGenerator<PersonRow[]> {
  return peoplePagesNotErased(db, { status: f.status, orgKey: f.org ? orgKey(f.org) : undefined, search: f.search ? f.search.trim().normalize('NFC').toLowerCase() : undefined, limit: f.limit });
}

export interface PersonUpdate {
  name?: string;
  email?: string;
  org?: string;
  status?: PersonStatus;
  /** Accept a new address that belonged to an erased person. */
  allowErased?: boolean;
}

/**
 * Changes a person's name, email, organisation or status; becoming a member records P6's consents.
 * A new address that belonged to an erased person is refused as member add refuses it (exit 6).
 */
export async function updatePerson(db: Db, stamp: Stamp, email: string, change: PersonUpdate) {
  return inTransaction(db, async (trx) => {
    const person = await findPersonByEmail(trx, email);
    if (!person) throw new NotFoundError(`no person with email ${email}`, { key: 'find-person' });
    const values: Record<string, unknown> = {};
    if (change.name !== undefined) values.name = checkName(change.name);
    if (change.email !== undefined) {
      const next = checkEmail(change.email);
      const other = await personIdByKey(trx, next.key);
      if (other !== undefined && other !== person.id) throw new ConflictError(`a person with email ${next.email} already exists`);
      // Only an address new to the person is checked: a change of case of their own is no return of anyone.
      if (other === undefined) await assertNotErased(db, trx, next.key, change.allowErased);
      Object.assign(values, { email: next.email, email_key: next.key });
    }
    if (change.org !== undefined) values.organisation_id = change.org.trim() === '' ? null : (await ensureOrg(trx, stamp, change.org)).id;
    let membership: { granted: string[]; keptWithdrawn: string[] } | undefined;
    let ended: string[] = [];
    if (change.status !== undefined) {
      values.status = change.status;
      if (values.status === 'member' && person.status !== 'member') {
        membership = await grantMembershipTerms(trx, stamp, person.id);
      }
      if (values.status !== 'member' && person.status === 'member') ended = await endMembershipTerms(trx, stamp, person.id);
    }
    const fields = Object.keys(values).filter((k) => k !== 'email_key');
    if (!fields.length) throw new UsageError('nothing to change', { key: 'nothing-to-change', fields: 'person' });
    await updatePersonRow(trx, person.id, { ...values, updated_at: stamp.at });
    if (membership) await planMembership(db, trx, stamp, person.id);
    if (values.status !== undefined && values.status !== 'member' && person.status === 'member') {
      // Someone who has left (a former member, or a contact again) is not announced as a new member.
      await cancelPlannedAnnouncement(trx, stamp, { personId: person.id });
    }
    await appendAuditEntry(trx, { ...stamp, summary: `updated person #${person.id}: ${fields.join(', ')}${membership?.granted.length ? `; granted ${membership.granted.join(', ')}` : ''}${ended.length ? `; withdrew ${ended.join(', ')} (membership ended)` : ''}` });
    return { person: (await findPersonById(trx, person.id))!, granted: membership?.granted ?? [], keptWithdrawn: membership?.keptWithdrawn ?? [], withdrawn: ended };
  });
}

import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError, InputError, NotFoundError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { cancelPlannedAnnouncement, planOrganisationAnnouncement } from '../disclosure/disclosure.service.js';
import { emailKey } from '../shared/email.js';
import { cleanText } from '../shared/text.js';
import { findOrgByName, findOrgWithCountsByName, getOrgWithCounts, insertOrg, listOrgsWithCounts, orgKey, updateOrgRow, type Organisation } from './org.repo.js';
import { personIdByKey } from '../member/member.repo.js';

export interface OrgInput {
  name: string;
  member?: boolean;
  domain?: string;
  contact?: string;
}

function checkName(raw: string): string {
  const r = cleanText(raw, 200);
  if ('error' in r) throw new InputError(`organisation name ${r.error}`, [], 'give a name of up to 200 characters');
  return r.value;
}

function checkDomain(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  const d = raw.trim().toLowerCase();
  if (!/^[^\s@/]+\.[^\s@/.]+$/u.test(d)) throw new InputError(`invalid domain '${raw}'`, [], { key: 'domain' });
  return d;
}

async function contactId(db: Kysely<Database>, email: string | undefined): Promise<number | null | undefined> {
  if (email === undefined) return undefined;
  if (email.trim() === '') return null;
  const id = await personIdByKey(db, emailKey(email));
  if (id === undefined) throw new NotFoundError(`no person with email ${email}`, 'add them first with consort member add');
  return id;
}

/** Adds an organisation; names are unique case-insensitively. */
export async function addOrg(db: Db, stamp: Stamp, input: OrgInput): Promise<Organisation> {
  const name = checkName(input.name);
  const domain = checkDomain(input.domain);
  return inTransaction(db, async (trx) => {
    if (await findOrgByName(trx, name)) throw new ConflictError(`organisation '${name}' already exists`, `see consort org show '${name}'`);
    const contact = await contactId(trx, input.contact);
    const membership = input.member ? 'member' : 'non-member';
    const id = await insertOrg(trx, { name, name_key: orgKey(name), domain, membership, joined_on: input.member ? stamp.at.slice(0, 10) : null, contact_person_id: contact ?? null, created_at: stamp.at, updated_at: stamp.at });
    if (input.member) await planOrganisationAnnouncement(trx, stamp, Number(id));
    await appendAuditEntry(trx, { ...stamp, summary: `added organisation #${id} (${membership})` });
    return getOrgWithCounts(trx, Number(id));
  });
}

/** Finds the organisation of that name, creating it as a non-member when absent (member add and import). */
export async function ensureOrg(db: Kysely<Database>, stamp: Stamp, rawName: string): Promise<{ id: number; created: boolean }> {
  const name = checkName(rawName);
  const found = await findOrgByName(db, name);
  if (found) return { id: Number(found.id), created: false };
  const id = await insertOrg(db, { name, name_key: orgKey(name), domain: null, membership: 'non-member', joined_on: null, contact_person_id: null, created_at: stamp.at, updated_at: stamp.at });
  return { id, created: true };
}

export async function listOrgs(db: Db, filter: { member?: boolean } = {}): Promise<Organisation[]> {
  return listOrgsWithCounts(db.kysely, filter.member === undefined ? undefined : filter.member ? 'member' : 'non-member');
}

export async function showOrg(db: Db, name: string): Promise<Organisation> {
  const org = await findOrgWithCountsByName(db.kysely, name);
  if (!org) throw new NotFoundError(`no organisation '${name}'`, 'see consort org list');
  return org;
}

export interface OrgUpdate {
  name?: string;
  domain?: string;
  member?: boolean;
  contact?: string;
}

/**
 * Changes an organisation's name, domain, membership or contact person, audited. Becoming a
 * member plans its public announcement (P7); ceasing to be one cancels the planned one.
 */
export async function updateOrg(db: Db, stamp: Stamp, current: string, change: OrgUpdate): Promise<Organisation> {
  return inTransaction(db, async (trx) => {
    const org = await findOrgByName(trx, current);
    if (!org) throw new NotFoundError(`no organisation '${current}'`, 'see consort org list');
    const values: Record<string, unknown> = {};
    if (change.name !== undefined) {
      const name = checkName(change.name);
      const other = await findOrgByName(trx, name);
      if (other && Number(other.id) !== Number(org.id)) throw new ConflictError(`organisation '${name}' already exists`);
      Object.assign(values, { name, name_key: orgKey(name) });
    }
    if (change.domain !== undefined) values.domain = checkDomain(change.domain);
    if (change.member !== undefined) {
      values.membership = change.member ? 'member' : 'non-member';
      if (change.member && org.membership !== 'member') values.joined_on = stamp.at.slice(0, 10);
    }
    const contact = await contactId(trx, change.contact);
    if (contact !== undefined) values.contact_person_id = contact;
    const fields = Object.keys(values).filter((k) => k !== 'name_key');
    if (!fields.length) throw new InputError('nothing to change', [], { key: 'nothing-to-change', fields: 'organisation' });
    await updateOrgRow(trx, Number(org.id), { ...values, updated_at: stamp.at });
    if (change.member && org.membership !== 'member') await planOrganisationAnnouncement(trx, stamp, Number(org.id));
    const cancelled = change.member === false && org.membership === 'member' ? await cancelPlannedAnnouncement(trx, stamp, { organisationId: Number(org.id) }) : 0;
    await appendAuditEntry(trx, { ...stamp, summary: `updated organisation #${org.id}: ${fields.join(', ')}${cancelled ? `; cancelled ${cancelled} planned announcement${cancelled === 1 ? '' : 's'} (no longer a member)` : ''}` });
    return getOrgWithCounts(trx, Number(org.id));
  });
}

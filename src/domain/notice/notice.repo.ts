import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database, DeliveryState } from '../../db/schema/index.js';
import { plannedDisclosurePages, selectDisclosures, toDisclosureRow, type DisclosureRow } from '../disclosure/disclosure.repo.js';
import { addDays } from '../shared/time.js';
import { getSetting } from '../settings/settings.service.js';

/** One notice still to give: who must be told of which disclosure, by when. */
export interface PendingNotice {
  to: string;
  name: string;
  personId: number;
  role: 'subject' | 'organisation-contact';
  disclosure: number;
  kind: string;
  audience: string;
  recipient: string | null;
  document: string | null;
  organisation: string | null;
  due_on: string;
  inform_by: string;
  released: boolean;
  facts: Record<string, unknown>;
}

/**
 * The pending notices a page at a time, soonest due first: those of planned disclosures (by due
 * date, then id, read as plannedDisclosurePages reads them), then those of lawful
 * disclosures already made whose people have not been told (P9). A run over a large backlog
 * holds one page, not the whole list.
 */
export async function* pendingNoticePages(on: Db | Kysely<Database>, size = 1000): AsyncGenerator<PendingNotice[]> {
  const trx = 'dialect' in on ? on.kysely : on;
  const days = Number(await getSetting(trx, 'notice-days'));
  const names = new Map<number, string>();
  const nameOf = async (id: number) => {
    if (!names.has(id)) names.set(id, (await trx.selectFrom('person').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name);
    return names.get(id)!;
  };
  // One literal, not the disclosure's fields spread and the person's added (docs/ARCHITECTURE.md,
  // objects made a row at a time): 4.3 µs a notice, 1.3 s of listing 300k.
  const notice = (d: DisclosureRow, to: string, name: string, personId: number, role: PendingNotice['role']): PendingNotice => ({
    disclosure: d.id, kind: d.kind, audience: d.audience, recipient: d.recipient, document: d.document, organisation: d.organisation, due_on: d.due_on,
    inform_by: d.kind === 'legal' ? d.due_on : addDays(d.due_on, -days), released: d.state === 'released', facts: JSON.parse(d.facts) as Record<string, unknown>,
    to, name, personId, role,
  });
  const pendingOf = async (rows: DisclosureRow[]) => {
    const pending: PendingNotice[] = [];
    for (const d of rows) {
      if (d.person_id !== null && !d.subject_noticed_at) pending.push(notice(d, d.email!, d.name!, d.person_id, 'subject'));
      if (d.person_id === null && d.contact_id !== null && !d.contact_noticed_at) pending.push(notice(d, d.contact_email!, await nameOf(d.contact_id), d.contact_id, 'organisation-contact'));
    }
    return pending;
  };
  for await (const rows of plannedDisclosurePages(on, undefined, size)) {
    const pending = await pendingOf(rows);
    if (pending.length) yield pending;
  }
  const legal = await pendingOf((await selectDisclosures(trx).where('x.kind', '=', 'legal').where('x.state', '=', 'released').where('x.no_notice_reason', 'is', null).execute()).map(toDisclosureRow));
  if (legal.length) yield legal;
}

/** Planned disclosures, and lawful ones already made, whose people have not been told (P9). */
export async function pendingNotices(trx: Kysely<Database>): Promise<PendingNotice[]> {
  const all: PendingNotice[] = [];
  for await (const page of pendingNoticePages(trx)) all.push(...page);
  return all;
}

/**
 * This database's own random id, made the first time a notice needs it: part of every notice's
 * Message-ID. Kept in settings (not a setting anyone sets), so a copy of the database keeps it.
 */
export async function databaseId(trx: Kysely<Database>): Promise<string> {
  const row = await trx.selectFrom('settings').select('value').where('key', '=', 'database-id').executeTakeFirst();
  if (row) return row.value;
  const id = randomBytes(6).toString('hex');
  await trx.insertInto('settings').values({ key: 'database-id', value: id }).execute();
  return id;
}

/** A notice as given: by hand, from an mbox, or sent (with its Message-ID and the server's reply). */
export interface GivenNotice {
  notice: PendingNotice;
  channel: string;
  at: string;
  messageId?: string | null;
  reply?: string | null;
}

/** Writes a given notice. */
export async function insertNotice(trx: Kysely<Database>, actor: string, recordedAt: string, g: GivenNotice): Promise<void> {
  const p = g.notice;
  await trx.insertInto('notice').values({ disclosure_id: p.disclosure, person_id: p.personId, role: p.role, channel: g.channel, at: g.at, actor, recorded_at: recordedAt, message_id: g.messageId ?? null, reply: g.reply ?? null }).execute();
}

/** Moves a planned disclosure's due date. */
export async function setDueOn(trx: Kysely<Database>, disclosureId: number, dueOn: string): Promise<void> {
  await trx.updateTable('disclosure').set({ due_on: dueOn }).where('id', '=', disclosureId).execute();
}

/** When each of these disclosures, its person and its document were created (what a notice cannot come before). */
export function disclosureOrigins(trx: Kysely<Database>, ids: number[]) {
  return trx
    .selectFrom('disclosure as x')
    .leftJoin('person as p', 'p.id', 'x.person_id')
    .leftJoin('document as d', 'd.id', 'x.document_id')
    .select(['x.id', 'x.kind', 'x.created_at', 'p.created_at as person_created', 'd.created_at as document_created'])
    .where('x.id', 'in', ids)
    .execute();
}

/** Whether disclosure #id exists. */
export async function disclosureExists(trx: Kysely<Database>, id: number): Promise<boolean> {
  return Boolean(await trx.selectFrom('disclosure').select('id').where('id', '=', id).executeTakeFirst());
}

/** Which of these Message-IDs already stand on a recorded notice. */
export async function recordedMessageIds(trx: Kysely<Database>, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx.selectFrom('notice').select('message_id').where('message_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) found.add(r.message_id!);
  }
  return found;
}

/** What notice send knows of a message. */
export interface Delivery {
  message_id: string;
  disclosure_id: number;
  person_id: number;
  address: string;
  state: DeliveryState;
  attempts: number;
  reason: string | null;
  updated_at: string;
}

/** The delivery records of messages, by Message-ID. */
export async function deliveriesOf(trx: Kysely<Database>, ids: string[]): Promise<Map<string, Delivery>> {
  const found = new Map<string, Delivery>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx.selectFrom('notice_delivery').select(['message_id', 'disclosure_id', 'person_id', 'address', 'state', 'attempts', 'reason', 'updated_at']).where('message_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) found.set(r.message_id, { ...r, disclosure_id: Number(r.disclosure_id), person_id: Number(r.person_id), attempts: Number(r.attempts) });
  }
  return found;
}

/** Deliveries of notices not yet given that did not go: failed, uncertain (or being sent), put off. */
export async function unsettledDeliveries(db: Kysely<Database>): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('notice_delivery as d')
    .select(['d.message_id', 'd.disclosure_id', 'd.person_id', 'd.address', 'd.state', 'd.attempts', 'd.reason', 'd.updated_at'])
    .where('d.state', 'in', ['failed', 'uncertain', 'sending', 'deferred'])
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notice as n').select('n.id').whereRef('n.disclosure_id', '=', 'd.disclosure_id').whereRef('n.person_id', '=', 'd.person_id'))))
    .execute();
  return rows.map((r) => ({ ...r, disclosure_id: Number(r.disclosure_id), person_id: Number(r.person_id), attempts: Number(r.attempts) }));
}

/**
 * Every message left `sending` by a run that did not finish becomes `uncertain`: the server may
 * have accepted it. Returns how many.
 */
export async function markInterruptedUncertain(trx: Kysely<Database>, at: string): Promise<number> {
  const r = await trx.updateTable('notice_delivery').set({ state: 'uncertain', reason: 'the run that sent it stopped before the server answered', updated_at: at }).where('state', '=', 'sending').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Claims a message for sending, in the caller's transaction: false when its notice was given
 * meanwhile (recorded by hand, say) or the message is being sent already, so it is not sent twice.
 */
export async function claimSending(trx: Kysely<Database>, m: { messageId: string; notice: PendingNotice; at: string }): Promise<boolean> {
  const n = m.notice;
  const given = await trx.selectFrom('notice').select('id').where('disclosure_id', '=', n.disclosure).where('person_id', '=', n.personId).where('role', '=', n.role).limit(1).executeTakeFirst();
  if (given) return false;
  const known = await trx.selectFrom('notice_delivery').select('state').where('message_id', '=', m.messageId).executeTakeFirst();
  if (known?.state === 'sending' || known?.state === 'sent') return false;
  if (known) {
    await trx.updateTable('notice_delivery').set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), address: n.to, reason: null, updated_at: m.at })).where('message_id', '=', m.messageId).execute();
  } else {
    await trx.insertInto('notice_delivery').values({ message_id: m.messageId, disclosure_id: n.disclosure, person_id: n.personId, role: n.role, address: n.to, state: 'sending', attempts: 1, reason: null, started_at: m.at, updated_at: m.at }).execute();
  }
  return true;
}

/** Who is running notice send, kept in settings while a run lasts (not a setting anyone sets). */
export interface SendLease {
  pid: number;
  host: string;
  since: string;
  /** Renewed with every message; a lease not renewed for a while belongs to a run that is gone. */
  renewed: string;
}

const LEASE_KEY = 'notice-send-run';

/** The lease of the run under way, if one was taken and not given back. */
export async function readSendLease(trx: Kysely<Database>): Promise<SendLease | undefined> {
  const row = await trx.selectFrom('settings').select('value').where('key', '=', LEASE_KEY).executeTakeFirst();
  return row ? (JSON.parse(row.value) as SendLease) : undefined;
}

/** Takes (or renews) the lease of notice send. */
export async function writeSendLease(trx: Kysely<Database>, lease: SendLease): Promise<void> {
  const value = JSON.stringify(lease);
  await trx.insertInto('settings').values({ key: LEASE_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/** Gives the lease back, if it is still this run's. */
export async function releaseSendLease(trx: Kysely<Database>, lease: Pick<SendLease, 'pid' | 'host' | 'since'>): Promise<void> {
  const held = await readSendLease(trx);
  if (held && held.pid === lease.pid && held.host === lease.host && held.since === lease.since) await trx.deleteFrom('settings').where('key', '=', LEASE_KEY).execute();
}

/** Settles a message's delivery record. */
export async function settleDelivery(trx: Kysely<Database>, messageId: string, state: Exclude<DeliveryState, 'sending'>, reason: string | null, at: string): Promise<void> {
  await trx.updateTable('notice_delivery').set({ state, reason, updated_at: at }).where('message_id', '=', messageId).execute();
}

/** Titles of documents by slug, for letters. */
export async function documentTitles(db: Kysely<Database>): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('document').select(['slug', 'title']).execute()).map((d) => [d.slug, d.title]));
}

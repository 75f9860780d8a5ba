import type { Db } from '../../db/connection.js';
import { cursorPages, queryPages, toPostgres } from '../../db/statements.js';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../db/schema/index.js';

/** A disclosure with its subject, organisation, document and notice state, as listed and checked. */
export interface DisclosureRow {
  id: number;
  kind: 'credit' | 'announcement' | 'directory' | 'legal';
  state: 'planned' | 'released' | 'cancelled';
  audience: string;
  due_on: string;
  person_id: number | null;
  email: string | null;
  name: string | null;
  organisation_id: number | null;
  organisation: string | null;
  /** The organisation's contact person, for organisation-level disclosures. */
  contact_id: number | null;
  contact_email: string | null;
  document: string | null;
  recipient: string | null;
  basis: string | null;
  facts: string;
  no_notice_reason: string | null;
  /** When the subject (or, organisation-level, the contact) was first informed; null if never. */
  subject_noticed_at: string | null;
  contact_noticed_at: string | null;
  released_at: string | null;
  cancelled_at: string | null;
}

/** Disclosures with everything a list or a check needs, oldest due first. */
export function selectDisclosures(db: Kysely<Database>) {
  return db
    .selectFrom('disclosure as x')
    .leftJoin('person as p', 'p.id', 'x.person_id')
    .leftJoin('organisation as o', 'o.id', 'x.organisation_id')
    .leftJoin('person as c', 'c.id', 'o.contact_person_id')
    .leftJoin('document as d', 'd.id', 'x.document_id')
    .select([
      'x.id', 'x.kind', 'x.state', 'x.audience', 'x.due_on', 'x.person_id', 'p.email', 'p.name', 'x.organisation_id', 'o.name as organisation',
      'o.contact_person_id as contact_id', 'c.email as contact_email', 'd.slug as document', 'x.recipient', 'x.basis', 'x.facts', 'x.no_notice_reason',
      'x.released_at', 'x.cancelled_at',
      sql<string | null>`(select min(n.at) from notice n where n.disclosure_id = x.id and n.role = 'subject')`.as('subject_noticed_at'),
      sql<string | null>`(select min(n.at) from notice n where n.disclosure_id = x.id and n.role = 'organisation-contact')`.as('contact_noticed_at'),
    ])
    .orderBy('x.due_on')
    .orderBy('x.id');
}

/** A row of selectDisclosures as a DisclosureRow: ids as numbers (PostgreSQL's bigints arrive as strings), in place. */
export const toDisclosureRow = (r: any): DisclosureRow => {
  r.id = Number(r.id);
  if (r.person_id !== null) r.person_id = Number(r.person_id);
  if (r.organisation_id !== null) r.organisation_id = Number(r.organisation_id);
  if (r.contact_id !== null) r.contact_id = Number(r.contact_id);
  return r as DisclosureRow;
};

/** Which disclosures to list, each left out to list all. */
export interface DisclosureQuery {
  kind?: DisclosureRow['kind'];
  state?: DisclosureRow['state'];
  /** The address key of the person disclosed. */
  personKey?: string;
  /** The document's slug. */
  document?: string;
}

/**
 * Disclosures of a kind, in a state, of a person, in a document, oldest due first, a page at a
 * time (queryPages: one snapshot, and memory holds one page however many there are).
 */
export async function* disclosurePagesWhere(db: Db, f: DisclosureQuery): AsyncGenerator<DisclosureRow[]> {
  let q = selectDisclosures(db.kysely);
  if (f.kind) q = q.where('x.kind', '=', f.kind);
  if (f.state) q = q.where('x.state', '=', f.state);
  if (f.personKey !== undefined) q = q.where('p.email_key', '=', f.personKey);
  if (f.document) q = q.where('d.slug', '=', f.document);
  const query = q.compile();
  if (db.dialect === 'postgres') {
    for await (const page of queryPages<DisclosureRow>(db, query)) yield page.map(toDisclosureRow);
    return;
  }
  // On SQLite each row as one JSON array (as checkRowPages reads them, and for the same reason):
  // 600k disclosures in 3.0-3.1 s against 5.0-7.6 s as named rows, in-process (bench/README).
  for await (const page of queryPages<string>(db, { ...query, sql: asJsonRows(query.sql) }, 1000, { pluck: true })) yield page.map(disclosureRowOf);
}

/**
 * A query of selectDisclosures as one JSON text a row (SQLite), in its order: the outer order is
 * the inner one, which SQLite flattens into the same plan (or, under a LIMIT, sorts a page).
 */
const asJsonRows = (text: string) => `select json_array(${DISCLOSURE_COLUMNS.join(', ')}) from (${text}) order by due_on, id`;

/** The columns of selectDisclosures by name, in the order disclosureRowOf reads them by position. */
const DISCLOSURE_COLUMNS = [
  'id', 'kind', 'state', 'audience', 'due_on', 'person_id', 'email', 'name', 'organisation_id', 'organisation', 'contact_id', 'contact_email', 'document', 'recipient',
  'basis', 'facts', 'no_notice_reason', 'released_at', 'cancelled_at', 'subject_noticed_at', 'contact_noticed_at',
] as const;

/** A row of selectDisclosures read as one JSON array of DISCLOSURE_COLUMNS, as one literal (docs/ARCHITECTURE.md). */
function disclosureRowOf(text: string): DisclosureRow {
  const a = JSON.parse(text) as any[];
  return {
    id: a[0], kind: a[1], state: a[2], audience: a[3], due_on: a[4], person_id: a[5], email: a[6], name: a[7], organisation_id: a[8], organisation: a[9], contact_id: a[10],
    contact_email: a[11], document: a[12], recipient: a[13], basis: a[14], facts: a[15], no_notice_reason: a[16], released_at: a[17], cancelled_at: a[18],
    subject_noticed_at: a[19], contact_noticed_at: a[20],
  };
}

/**
 * Planned disclosures (due on or before `through`, if given) a page at a time, soonest due
 * first, so memory holds one page however many there are (300k new members are 300k planned
 * announcements). On PostgreSQL's pool, one cursor (one statement, one snapshot): 600k read by
 * keyset took 603 statements of 38 ms each, planned as a nested loop per page, where one query
 * hashes its joins once (bench/README). In a transaction, or on SQLite (one JSON text a row
 * when given the database, as disclosurePagesWhere reads them), read by keyset on
 * (due_on, id), so every page costs the same and the caller may write between pages (a
 * PostgreSQL connection answers one statement at a time; better-sqlite3 refuses a write while
 * a statement is being read).
 */
export async function* plannedDisclosurePages(on: Db | Kysely<Database>, through?: string, size = 5000): AsyncGenerator<DisclosureRow[]> {
  // Given the database (not a transaction's connection), the pages may be read its own way.
  const whole = 'dialect' in on ? on : undefined;
  const db = whole ? whole.kysely : (on as Kysely<Database>);
  const planned = () => {
    const q = selectDisclosures(db).where('x.state', '=', 'planned');
    return through === undefined ? q : q.where('x.due_on', '<=', through);
  };
  if (whole?.dialect === 'postgres') {
    for await (const page of cursorPages<DisclosureRow>(db, planned().compile(), size)) yield page.map(toDisclosureRow);
    return;
  }
  // On SQLite's own connection, one JSON text a row, as disclosurePagesWhere reads them.
  const sqlite = whole?.dialect === 'sqlite' ? whole.sqlite : undefined;
  const read = async (q: ReturnType<typeof planned>, n: number) => {
    if (!sqlite) return (await q.limit(n).execute()).map(toDisclosureRow);
    const c = q.limit(n).compile();
    return (sqlite.prepare(asJsonRows(c.sql)).pluck().all(c.parameters as unknown[]) as string[]).map(disclosureRowOf);
  };
  let after: DisclosureRow | undefined;
  for (;;) {
    // The rest of the last page's date, then the dates after it: each an equality or a range the
    // (state, due_on) index seeks to, where one (due_on, id) comparison would make SQLite scan a
    // date's rows from the start for every page (an import's members all share one date).
    let rows = after ? await read(planned().where('x.due_on', '=', after.due_on).where('x.id', '>', after.id), size) : await read(planned(), size);
    if (after && rows.length < size) rows = rows.concat(await read(planned().where('x.due_on', '>', after.due_on), size - rows.length));
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]!;
  }
}

/**
 * Released lawful disclosures whose subject is to be told (no reason recorded for not telling),
 * oldest due first. Sorted here rather than by SQL: asked to sort by due date, SQLite walks the
 * (state, due_on) index through every released disclosure (0.5 s at 1M members) instead of
 * finding the few legal ones by (kind, state).
 */
export async function selectLegalWithoutExemption(db: Kysely<Database>): Promise<DisclosureRow[]> {
  const rows = await selectDisclosures(db).clearOrderBy().where('x.kind', '=', 'legal').where('x.state', '=', 'released').where('x.no_notice_reason', 'is', null).execute();
  return rows.map(toDisclosureRow).sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : a.id - b.id));
}

/** What `disclosures check` reads of a planned disclosure: no more columns than its rules use. */
export interface CheckRow {
  id: number;
  kind: DisclosureRow['kind'];
  due_on: string;
  person_id: number | null;
  email: string | null;
  organisation: string | null;
  contact_id: number | null;
  contact_email: string | null;
  document: string | null;
  recipient: string | null;
  no_notice_reason: string | null;
  subject_noticed_at: string | null;
  contact_noticed_at: string | null;
}

/** The check's columns in toCheckRow's order, each named (PostgreSQL returns named rows, and two are emails). */
const CHECK_COLUMNS: Array<[sql: string, name: string]> = [
  ['x.id', 'id'], ['x.kind', 'kind'], ['x.due_on', 'due_on'], ['x.person_id', 'person_id'], ['p.email', 'email'], ['o.name', 'organisation'],
  ['o.contact_person_id', 'contact_id'], ['c.email', 'contact_email'], ['d.slug', 'document'], ['x.recipient', 'recipient'], ['x.no_notice_reason', 'no_notice_reason'],
  ["(select min(n.at) from notice n where n.disclosure_id = x.id and n.role = case when x.person_id is null then 'organisation-contact' else 'subject' end)", 'noticed_at'],
];
const CHECK_FROM = `from disclosure x left join person p on p.id = x.person_id left join organisation o on o.id = x.organisation_id
  left join person c on c.id = o.contact_person_id left join document d on d.id = x.document_id`;

const toCheckRow = (r: unknown[]): CheckRow => ({
  id: Number(r[0]), kind: r[1] as CheckRow['kind'], due_on: r[2] as string, person_id: r[3] === null ? null : Number(r[3]), email: r[4] as string | null, organisation: r[5] as string | null,
  contact_id: r[6] === null ? null : Number(r[6]), contact_email: r[7] as string | null, document: r[8] as string | null, recipient: r[9] as string | null,
  // One notice probe a row: the subject is told of a person's disclosure, the contact of an organisation's.
  no_notice_reason: r[10] as string | null, subject_noticed_at: r[3] === null ? null : (r[11] as string | null), contact_noticed_at: r[3] === null ? (r[11] as string | null) : null,
});

/**
 * The planned disclosures due on or before `through`, a page at a time, soonest due first, with
 * what the check needs (STYLE rule 10: the check's hot path, 300k rows after a large import). On
 * SQLite each row as one JSON array, parsed in JavaScript: better-sqlite3 makes each value of a
 * row through V8's API, about 0.5 µs a string, and at 300k rows one text a row measured 0.64 and
 * 0.68 s against 0.77 and 0.83 s for arrays of values (medians, bench/README; named rows cost
 * three times as much as arrays). Every column is text or an integer, which JSON carries exactly
 * (json_array refuses a BLOB, or reads it as JSONB; consort never writes one there). On the
 * connection of the caller's transaction if there is one; on PostgreSQL the same SQL through
 * Kysely. Paged as plannedDisclosurePages is: one cursor on PostgreSQL's pool, else by date then id.
 */
export async function* checkRowPages(db: Db, conn: Kysely<Database>, through: string, size = 5000): AsyncGenerator<CheckRow[]> {
  const sqlite = db.dialect === 'sqlite';
  const columns = sqlite ? `json_array(${CHECK_COLUMNS.map(([c]) => c).join(', ')})` : CHECK_COLUMNS.map(([c, name]) => `${c} as ${name}`).join(', ');
  const base = `select ${columns} ${CHECK_FROM} where x.state = 'planned' and x.due_on <= ?`;
  const texts = { first: `${base} order by x.due_on, x.id limit ?`, sameDay: `${base} and x.due_on = ? and x.id > ? order by x.id limit ?`, later: `${base} and x.due_on > ? order by x.due_on, x.id limit ?` };
  type Param = string | number;
  let run: (which: keyof typeof texts, params: Param[]) => Promise<unknown[][]>;
  if (sqlite) {
    const st = { first: db.sqlite.prepare(texts.first).pluck(), sameDay: db.sqlite.prepare(texts.sameDay).pluck(), later: db.sqlite.prepare(texts.later).pluck() };
    run = async (which, params) => (st[which].all(...params) as string[]).map((text) => JSON.parse(text) as unknown[]);
  } else {
    const { CompiledQuery } = await import('kysely');
    if (conn === db.kysely) {
      // On the pool (not a transaction's one connection, where a read between pages would wait
      // behind the cursor), one cursor, as plannedDisclosurePages reads there: 600k problems
      // read by keyset took 122 statements of 55 ms.
      for await (const page of cursorPages<Record<string, unknown>>(conn, CompiledQuery.raw(toPostgres(`${base} order by x.due_on, x.id`), [through]), size)) yield page.map((r) => toCheckRow(Object.values(r)));
      return;
    }
    run = async (which, params) => (await conn.executeQuery<Record<string, unknown>>(CompiledQuery.raw(toPostgres(texts[which]), params))).rows.map((r) => Object.values(r));
  }
  let after: CheckRow | undefined;
  for (;;) {
    let rows = (after ? await run('sameDay', [through, after.due_on, after.id, size]) : await run('first', [through, size])).map(toCheckRow);
    if (after && rows.length < size) rows = rows.concat((await run('later', [through, after.due_on, size - rows.length])).map(toCheckRow));
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]!;
  }
}

/** Who a new member is, for what their membership discloses. */
export async function memberFacts(trx: Kysely<Database>, personId: number): Promise<{ name: string; email: string; emailKey: string; organisationId: number | null; organisation: string | null }> {
  const p = await trx.selectFrom('person as p').leftJoin('organisation as o', 'o.id', 'p.organisation_id').select(['p.name', 'p.email', 'p.email_key', 'p.organisation_id', 'o.name as organisation']).where('p.id', '=', personId).executeTakeFirstOrThrow();
  return { name: p.name, email: p.email, emailKey: p.email_key, organisationId: p.organisation_id === null ? null : Number(p.organisation_id), organisation: p.organisation };
}

/** A planned disclosure to write. */
export interface PlannedDisclosure {
  kind: DisclosureRow['kind'];
  personId: number | null;
  organisationId: number | null;
  documentId?: number;
  audience: 'public' | 'members';
  basis: string;
  dueOn: string;
  facts: string;
  at: string;
}

/** Writes a planned disclosure. */
export async function insertPlannedDisclosure(trx: Kysely<Database>, d: PlannedDisclosure): Promise<void> {
  await trx
    .insertInto('disclosure')
    .values({ kind: d.kind, person_id: d.personId, organisation_id: d.organisationId, document_id: d.documentId ?? null, audience: d.audience, basis: d.basis, due_on: d.dueOn, state: 'planned', facts: d.facts, created_at: d.at })
    .execute();
}

/** Cancels planned disclosures: by id, or the planned announcement of a person or of an organisation itself. Returns how many. */
export async function cancelPlanned(trx: Kysely<Database>, at: string, which: { id: number } | { announcementOf: { personId: number } | { organisationId: number } }): Promise<number> {
  let q = trx.updateTable('disclosure').set({ state: 'cancelled', cancelled_at: at }).where('state', '=', 'planned');
  if ('id' in which) q = q.where('id', '=', which.id);
  else {
    const of = which.announcementOf;
    q = q.where('kind', '=', 'announcement');
    q = 'personId' in of ? q.where('person_id', '=', of.personId) : q.where('organisation_id', '=', of.organisationId).where('person_id', 'is', null);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Records a disclosure as given (a lawful one, made at once); returns its id. */
export async function insertDisclosure(trx: Kysely<Database>, row: Insertable<Database['disclosure']>): Promise<number> {
  return Number((await trx.insertInto('disclosure').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

/** The planned announcements due on or before `through`. */
export async function plannedAnnouncementsThrough(trx: Kysely<Database>, through: string): Promise<DisclosureRow[]> {
  return (await selectDisclosures(trx).where('x.kind', '=', 'announcement').where('x.state', '=', 'planned').where('x.due_on', '<=', through).execute()).map(toDisclosureRow);
}

/** Marks a planned disclosure released. */
export async function markReleased(trx: Kysely<Database>, id: number, at: string): Promise<void> {
  await trx.updateTable('disclosure').set({ state: 'released', released_at: at }).where('id', '=', id).execute();
}

/** An organisation's name (the organisation must exist). */
export async function organisationName(trx: Kysely<Database>, organisationId: number): Promise<string> {
  return (await trx.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow()).name;
}

/** The documents scheduled for release (given `through`, those due on or before it), soonest first. */
export async function scheduledDocuments(db: Kysely<Database>, through?: string): Promise<Array<{ id: number; slug: string; release_on: string | null }>> {
  let q = db.selectFrom('document').select(['id', 'slug', 'release_on']).where('status', '=', 'scheduled');
  if (through !== undefined) q = q.where('release_on', '<=', through);
  return (await q.orderBy('release_on').orderBy('id').execute()).map((d) => ({ ...d, id: Number(d.id) }));
}

/** When each person was told (as subject) of their credit in a document, by person id. */
export async function creditNoticeTimes(db: Kysely<Database>, documentId: number): Promise<Map<number, string>> {
  return new Map(
    (await db.selectFrom('notice as n').innerJoin('disclosure as x', 'x.id', 'n.disclosure_id').select(['n.person_id', 'n.at']).where('x.document_id', '=', documentId).where('x.kind', '=', 'credit').where('n.role', '=', 'subject').execute()).map((n) => [Number(n.person_id), n.at]),
  );
}

/** A document's planned credit disclosures. */
export async function plannedCredits(trx: Kysely<Database>, documentId: number): Promise<Array<{ id: number; person_id: number; due_on: string; facts: string }>> {
  const rows = await trx.selectFrom('disclosure').select(['id', 'person_id', 'due_on', 'facts']).where('document_id', '=', documentId).where('kind', '=', 'credit').where('state', '=', 'planned').execute();
  return rows.map((d) => ({ ...d, id: Number(d.id), person_id: Number(d.person_id) }));
}

/** Moves a planned disclosure to a date, with the facts as they are now. */
export async function replanDisclosure(trx: Kysely<Database>, id: number, dueOn: string, facts: string): Promise<void> {
  await trx.updateTable('disclosure').set({ due_on: dueOn, facts }).where('id', '=', id).execute();
}

/** Records (or renews) the acknowledgement of a problem with the facts it was accepted with. */
export async function upsertProblemAck(trx: Kysely<Database>, ack: { problem_id: string; fingerprint: string; reason: string; actor: string; at: string }): Promise<void> {
  const { fingerprint, reason, actor, at } = ack;
  await trx.insertInto('problem_ack').values(ack).onConflict((oc) => oc.column('problem_id').doUpdateSet({ fingerprint, reason, actor, at })).execute();
}

/** Every acknowledgement of a problem, by problem id. */
export async function problemAcks(db: Kysely<Database>): Promise<Map<string, Selectable<Database['problem_ack']>>> {
  return new Map((await db.selectFrom('problem_ack').selectAll().execute()).map((a) => [a.problem_id, a]));
}

import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { UsageError } from '../../errors.js';
import { csvLine } from '../../io/csv.js';
import type { DataSink } from '../../io/sink.js';
import { safeJson } from '../../io/sanitize.js';
import type { Stamp } from '../audit/audit.service.js';
import { deliverExport } from '../export/export.service.js';
import { getSetting } from '../settings/settings.service.js';

export const RESEARCH_BY = ['org', 'status', 'month', 'document'] as const;
export type ResearchBy = (typeof RESEARCH_BY)[number];
export const RESEARCH_FORMATS = ['csv', 'json'] as const;
const MEASURES = ['people', 'members', 'activities'] as const;
type Measure = (typeof MEASURES)[number];

/** One row of counts; a suppressed cell is null and named in `suppressed`. */
export interface ResearchRow {
  group: string;
  people: number | null;
  members: number | null;
  activities: number | null;
  suppressed: Measure[];
}

/** Counts per group, from the database (erased people are gone). */
async function counts(db: Db, by: ResearchBy): Promise<Array<{ group: string } & Record<Measure, number>>> {
  const acts = sql`(select count(*) from activity a where a.person_id = p.id)`;
  const q =
    by === 'document'
      ? sql`select d.slug as "group", count(distinct a.person_id) as people, count(distinct case when p.status = 'member' then a.person_id end) as members, count(*) as activities
            from activity a join document d on d.id = a.document_id join person p on p.id = a.person_id group by d.slug order by d.slug`
      : by === 'month'
        ? sql`select m as "group", sum(people) as people, sum(members) as members, sum(activities) as activities from (
                select substr(p.created_at, 1, 7) as m, count(*) as people, sum(case when p.status = 'member' then 1 else 0 end) as members, 0 as activities from person p where p.erased_at is null group by m
                union all select substr(a.at, 1, 7) as m, 0, 0, count(*) from activity a group by m) as per_month group by m order by m`
        : sql`select ${by === 'org' ? sql`coalesce(o.name, '(no organisation)')` : sql`p.status`} as "group", count(*) as people, sum(case when p.status = 'member' then 1 else 0 end) as members, sum(${acts}) as activities
              from person p left join organisation o on o.id = p.organisation_id where p.erased_at is null group by 1 order by 1`;
  const { rows } = await q.execute(db.kysely);
  return (rows as Array<Record<string, unknown>>).map((r) => ({ group: String(r.group), people: Number(r.people), members: Number(r.members), activities: Number(r.activities) }));
}

/**
 * Suppresses (P3) whole rows: any row with a count from 1 to minCell - 1 is hidden
 * entirely, since its other columns would give it back (members are never more than
 * people); and where exactly one row is hidden, the next smallest row is too, or the
 * total minus the shown rows would give it back.
 */
export function suppress(rows: Array<{ group: string } & Record<Measure, number>>, minCell: number): { rows: ResearchRow[]; total: ResearchRow } {
  const out: ResearchRow[] = rows.map((r) => ({ ...r, suppressed: [] }));
  const small = (r: ResearchRow) => MEASURES.some((m) => r[m]! > 0 && r[m]! < minCell);
  const hide = (r: ResearchRow) => {
    for (const m of MEASURES) r[m] = null;
    r.suppressed = [...MEASURES];
  };
  const size = (r: ResearchRow) => r.people ?? 0;
  for (const r of out) if (small(r)) hide(r);
  if (out.filter((r) => r.suppressed.length).length === 1) {
    const next = out.filter((r) => !r.suppressed.length && MEASURES.some((m) => r[m]! > 0)).sort((a, b) => size(a) - size(b))[0];
    if (next) hide(next);
  }
  const sum = (m: Measure) => rows.reduce((s, r) => s + r[m], 0);
  const total: ResearchRow = { group: 'total', people: sum('people'), members: sum('members'), activities: sum('activities'), suppressed: [] };
  for (const m of MEASURES) {
    // A total below the threshold singles people out as much as a cell would.
    if (total[m]! > 0 && total[m]! < minCell) {
      total[m] = null;
      total.suppressed.push(m);
    }
  }
  return { rows: out, total };
}

/** Aggregated, de-identified counts for research (P3): no names, emails or ids; small cells suppressed and marked. */
export async function exportResearch(db: Db, stamp: Stamp, by: string, format: 'csv' | 'json', sink: DataSink) {
  if (!(RESEARCH_BY as readonly string[]).includes(by)) throw new UsageError(`invalid --by '${by}'`, `use one of: ${RESEARCH_BY.join(', ')}`);
  const minCell = Number(await getSetting(db.kysely, 'research-min-cell'));
  const { rows, total } = suppress(await counts(db, by as ResearchBy), minCell);
  const mark = 'suppressed';
  const text =
    format === 'json'
      ? safeJson({ by, min_cell: minCell, generated_at: stamp.at, rows, total }, 2) + '\n'
      : csvLine([by, ...MEASURES]) + [...rows, total].map((r) => csvLine([r.group, ...MEASURES.map((m) => (r[m] === null ? mark : r[m]))])).join('');
  const { sha256 } = await deliverExport(db, stamp, sink, text, { kind: `research by ${by}`, purpose: 'research', audience: 'researchers', rowCount: rows.length });
  return { rows: rows.length, suppressed: rows.reduce((n, r) => n + r.suppressed.length, 0), sha256 };
}

import type { Db } from '../../db/connection.js';
import type { DataSink } from '../../io/sink.js';
import { MEASURES, renderResearch, type Measure, type ResearchFormat, type ResearchRow } from './research.render.js';
import type { Stamp } from '../audit/audit.service.js';
import { deliverExport } from '../export/export.service.js';
import { getSetting } from '../settings/settings.service.js';
import { researchCounts as counts, type Counts, type ResearchBy } from './research.repo.js';

export { RESEARCH_BY, type ResearchBy } from './research.repo.js';
export { RESEARCH_FORMATS } from './research.render.js';


export type { ResearchRow } from './research.render.js';

/**
 * The hidden cells a reader can work out exactly, taking every column's total as known (the
 * org, status and month groupings print the same totals, so hiding one here would not keep it
 * back): the one hidden cell above 0 of a column that is not yet known is its total minus all
 * the rest; and where a row's people equal its members (the member row of the status grouping, always),
 * knowing one gives the other.
 */
function workedOut(rows: Counts[], hidden: boolean[]): Array<Set<Measure>> {
  const known = rows.map(() => new Set<Measure>());
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of MEASURES) {
      const open = rows.flatMap((r, i) => (hidden[i] && r[m] > 0 && !known[i]!.has(m) ? [i] : []));
      if (open.length === 1) {
        known[open[0]!]!.add(m);
        changed = true;
      }
    }
    rows.forEach((r, i) => {
      if (hidden[i] && r.people === r.members && known[i]!.has('people') !== known[i]!.has('members')) {
        known[i]!.add('people').add('members');
        changed = true;
      }
    });
  }
  return known;
}

/**
 * Suppresses (P3). Rows are hidden whole: a row with any count from 1 to minCell - 1 goes,
 * since its other columns would give it back (members are never more than people). Then, as
 * the totals are known (see workedOut), every column must keep its hidden cells to itself:
 * either they are all 0, or at least two are above 0 (one alone is the total minus the shown
 * rows, whatever its size), the ones that cannot be worked out add up to at least minCell, and
 * none that can be worked out is below minCell. Until every column is so, one more row is
 * hidden: the shown row above 0 in the most failing columns, the smallest first. A total is
 * suppressed when it is below minCell, or when its column still fails with no row left to hide.
 */
export function suppress(rows: Counts[], minCell: number): { rows: ResearchRow[]; total: ResearchRow } {
  const hidden = rows.map((r) => MEASURES.some((m) => r[m] > 0 && r[m] < minCell));
  const failing = (): Measure[] => {
    const known = workedOut(rows, hidden);
    return MEASURES.filter((m) => {
      const cells = rows.flatMap((r, i) => (hidden[i] && r[m] > 0 ? [{ n: r[m], known: known[i]!.has(m) }] : []));
      const open = cells.reduce((s, c) => s + (c.known ? 0 : c.n), 0);
      return cells.length === 1 || (open > 0 && open < minCell) || cells.some((c) => c.known && c.n < minCell);
    });
  };
  for (let fail = failing(); ; fail = failing()) {
    const covers = (r: Counts) => fail.filter((m) => r[m] > 0).length;
    const next = rows
      .map((r, i) => ({ r, i }))
      .filter(({ r, i }) => !hidden[i] && covers(r) > 0)
      .sort((a, b) => covers(b.r) - covers(a.r) || a.r.people - b.r.people)[0];
    if (!next) break;
    hidden[next.i] = true;
  }
  const out: ResearchRow[] = rows.map((r, i) =>
    hidden[i] ? { group: r.group, people: null, members: null, activities: null, suppressed: [...MEASURES] } : { ...r, suppressed: [] },
  );
  const sum = (m: Measure) => rows.reduce((s, r) => s + r[m], 0);
  const total: ResearchRow = { group: 'total', people: sum('people'), members: sum('members'), activities: sum('activities'), suppressed: [] };
  const fail = failing();
  for (const m of MEASURES) {
    // A total below the threshold singles people out as much as a cell would.
    if ((total[m]! > 0 && total[m]! < minCell) || fail.includes(m)) {
      total[m] = null;
      total.suppressed.push(m);
    }
  }
  return { rows: out, total };
}

/** Aggregated, de-identified counts for research (P3): no names, emails or ids; small cells suppressed and marked. */
export async function exportResearch(db: Db, stamp: Stamp, by: ResearchBy, format: ResearchFormat, sink: DataSink) {
  const minCell = Number(await getSetting(db.kysely, 'research-min-cell'));
  const { rows, total } = suppress(await counts(db, by), minCell);
  const text = renderResearch(format, { by, minCell, at: stamp.at, rows, total });
  const { sha256 } = await deliverExport(db, stamp, sink, text, { kind: `research by ${by}`, purpose: 'research', audience: 'researchers', rowCount: rows.length });
  return { rows: rows.length, suppressed: rows.reduce((n, r) => n + r.suppressed.length, 0), sha256 };
}

import { csvLine } from '../../io/csv.js';
import { safeJson } from '../../io/sanitize.js';

export const RESEARCH_FORMATS = ['csv', 'json'] as const;
export type ResearchFormat = (typeof RESEARCH_FORMATS)[number];
export const MEASURES = ['people', 'members', 'activities'] as const;
export type Measure = (typeof MEASURES)[number];

/** One row of counts; a suppressed cell is null and named in `suppressed`. */
export interface ResearchRow {
  group: string;
  people: number | null;
  members: number | null;
  activities: number | null;
  suppressed: Measure[];
}

/** A research export as text: CSV (a suppressed cell says so), or JSON with the threshold and when it was made. */
export function renderResearch(format: ResearchFormat, r: { by: string; minCell: number; at: string; rows: ResearchRow[]; total: ResearchRow }): string {
  switch (format) {
    case 'json':
      return safeJson({ by: r.by, min_cell: r.minCell, generated_at: r.at, rows: r.rows, total: r.total }, 2) + '\n';
    case 'csv':
      return csvLine([r.by, ...MEASURES]) + [...r.rows, r.total].map((row) => csvLine([row.group, ...MEASURES.map((m) => (row[m] === null ? 'suppressed' : row[m]))])).join('');
  }
}

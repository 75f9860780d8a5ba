import { csvLine } from '../../io/csv.js';
import { safeJson } from '../../io/sanitize.js';
import { tsvLine } from '../../io/tsv.js';
import type { DirectoryEntry } from './directory.repo.js';

export const DIRECTORY_FORMATS = ['csv', 'tsv', 'json', 'ndjson'] as const;
export type DirectoryFormat = (typeof DIRECTORY_FORMATS)[number];

/** The directory as text in one of its formats. */
export function renderDirectory(format: DirectoryFormat, rows: DirectoryEntry[]): string {
  switch (format) {
    case 'json':
      return safeJson(rows, 2) + '\n';
    case 'ndjson':
      return rows.map((r) => safeJson(r) + '\n').join('');
    case 'csv':
    case 'tsv': {
      const line = format === 'csv' ? csvLine : tsvLine;
      return line(['name', 'email', 'organisation']) + rows.map((r) => line([r.name, r.email, r.organisation])).join('');
    }
  }
}

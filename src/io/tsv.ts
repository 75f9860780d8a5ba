/** Escapes a TSV cell the way PostgreSQL's text COPY does, so every row stays one line. */
export function tsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return /[\t\n\r\\]/.test(s) ? s.replace(/[\t\n\r\\]/g, (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\' })[c]!) : s;
}

export function tsvLine(values: readonly unknown[]): string {
  return values.map(tsvCell).join('\t') + '\n';
}

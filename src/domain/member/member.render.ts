import type { Column } from '../../io/format.js';
import type { PersonRow } from './member.repo.js';

export const PERSON_COLUMNS: Column<PersonRow>[] = [
  { header: 'email', value: (p) => p.email },
  { header: 'name', value: (p) => p.name },
  { header: 'status', value: (p) => p.status },
  { header: 'organisation', value: (p) => p.organisation },
  { header: 'created', value: (p) => p.created_at },
];

/** Field/value pairs for one person, with their current consents summarised. */
export function personFields(p: PersonRow & { consents?: Array<{ purpose: string; document: string | null; state: string; since: string }> }): Array<[string, unknown]> {
  const fields: Array<[string, unknown]> = [['name', p.name], ['email', p.email], ['status', p.status], ['organisation', p.organisation], ['source', p.source], ['created', p.created_at], ['updated', p.updated_at]];
  for (const c of p.consents ?? []) fields.push([`consent ${c.purpose}${c.document ? ` (${c.document})` : ''}`, `${c.state === 'grant' ? 'granted' : 'withdrawn'} ${c.since}`]);
  return fields;
}

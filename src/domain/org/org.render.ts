import type { Column } from '../../io/format.js';
import type { Organisation } from './org.repo.js';

export const ORG_COLUMNS: Column<Organisation>[] = [
  { header: 'name', value: (o) => o.name, kind: 'text' },
  { header: 'membership', value: (o) => o.membership },
  { header: 'domain', value: (o) => o.domain },
  { header: 'joined', value: (o) => o.joined_on },
  { header: 'contact', value: (o) => o.contact },
  { header: 'members', value: (o) => o.members },
  { header: 'people', value: (o) => o.people },
];

/** Field/value pairs for one organisation. */
export function orgFields(o: Organisation): Array<[string, unknown]> {
  return [['name', o.name], ['membership', o.membership], ['domain', o.domain], ['joined', o.joined_on], ['contact', o.contact], ['members', o.members], ['people', o.people], ['created', o.created_at], ['updated', o.updated_at]];
}

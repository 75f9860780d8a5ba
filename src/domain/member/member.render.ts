import type { Column } from '../../io/format.js';
import type { PersonRow } from './member.repo.js';

export const PERSON_COLUMNS: Column<PersonRow>[] = [
  { header: 'email', value: (p) => p.email, kind: 'fixed' },
  { header: 'name', value: (p) => p.name, kind: 'text' },
  { header: 'status', value: (p) => p.status, kind: 'fixed' },
  { header: 'organisation', value: (p) => p.organisation, kind: 'text' },
  { header: 'created', value: (p) => p.created_at, kind: 'fixed' },
];

/** Field/value pairs for one person, with their current consents summarised. */
export function personFields(p: PersonRow & { consents?: Array<{ purpose: string; document: string | null; state: string; since: string }> }): Array<[string, unknown]> {
  const fields: Array<[string, unknown]> = [['name', p.name], ['email', p.email], ['status', p.status], ['organisation', p.organisation], ['source', p.source], ['created', p.created_at], ['updated', p.updated_at]];
  for (const c of p.consents ?? []) fields.push([`consent ${c.purpose}${c.document ? ` (${c.document})` : ''}`, `${c.state === 'grant' ? 'granted' : 'withdrawn'} ${c.since}`]);
  return fields;
}

/** The person's report as readable text, section by section (for a terminal). */
export function reportText(r: Awaited<ReturnType<typeof import('./member.report.js').personReport>>): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => out.push(`== ${title} ==`, ...(lines.length ? lines : ['(none)']), '');
  section('Person', Object.entries(r.person).map(([k, v]) => `${k}: ${v ?? ''}`));
  section('Organisation', r.organisation ? Object.entries(r.organisation).map(([k, v]) => `${k}: ${v ?? ''}`) : []);
  section('Consents now', r.consents.current.map((c) => `${c.purpose}${c.document ? ` (${c.document})` : ''}: ${c.state === 'grant' ? 'granted' : 'withdrawn'} since ${c.since} (${c.basis})`));
  section('Consent history', r.consents.history.map((e) => `${e.at} ${e.action} ${e.purpose}${e.document ? ` (${e.document})` : ''} by ${e.basis}${e.evidence ? `: ${e.evidence}` : ''}`));
  section(r.activity.summary ? 'Activity per month and document' : 'Activity', r.activity.events.map((a) => Object.values(a).filter((v) => v !== null).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('  ')));
  section('Disclosures', r.disclosures.map((d) => `#${d.id} ${d.kind} ${d.state} to ${d.recipient ?? d.audience} on ${d.released_at ?? d.due_on}${d.basis ? ` under ${d.basis}` : ''}: ${Object.entries(d.facts).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`));
  section('Notices', r.notices.map((n) => `${n.at} told of disclosure #${n.disclosure} (${n.role}) by ${n.channel}`));
  section('Newsletter', [
    ...r.exports.newsletter.subscribed.map((p) => `subscribed ${p.from} to ${p.to ?? 'now'}`),
    ...r.exports.newsletter.exports.map((e) => `in newsletter export #${e.id} of ${e.at}${e.destination ? ` to ${e.destination}` : ''}`),
  ]);
  return out.join('\n');
}

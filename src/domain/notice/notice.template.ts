import { UsageError } from '../../errors.js';

/** The named fields a notice template may use, `{{name}}`, and what each holds. */
export const TEMPLATE_FIELDS = {
  person: "the person's name",
  email: "the person's email address",
  released: 'what will be released, one `field: value` line each',
  about: "whom it is about: 'about you', or 'about ORGANISATION, whose contact person you are,'",
  audience: "to whom: 'the public', 'all members of the consortium', or the lawful recipient",
  where: "where it appears, e.g. 'in the acknowledgements of \"Title\"' (empty for other kinds)",
  date: 'when it will be released (YYYY-MM-DD)',
  object: 'how to object or withdraw, and by when',
  controller: 'the controller-name setting',
  contact: 'the controller-contact setting',
  policy_url: 'the policy-url setting',
} as const;

export type TemplateField = keyof typeof TEMPLATE_FIELDS;
export type TemplateValues = Record<TemplateField, string>;

const FIELD = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The fields a template names that consort does not know, in order of appearance. */
export function unknownTemplateFields(template: string): string[] {
  const unknown = new Set<string>();
  for (const m of template.matchAll(FIELD)) if (!Object.hasOwn(TEMPLATE_FIELDS, m[1]!)) unknown.add(m[1]!);
  return [...unknown];
}

/** What a letter must say to be a notice at all (P9): what, to whom, when, and how to object. */
export const REQUIRED_FIELDS: readonly TemplateField[] = ['released', 'audience', 'date', 'object'];

/** Checks a notice template: UTF-8 text with known fields only, naming every field a notice must tell. */
export function checkTemplate(template: string): string | undefined {
  if (!template.trim()) return 'the template is empty';
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(template)) return 'the template holds control characters';
  const unknown = unknownTemplateFields(template);
  if (unknown.length) return `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `{{${f}}}`).join(', ')} (known: ${Object.keys(TEMPLATE_FIELDS).map((f) => `{{${f}}}`).join(', ')})`;
  const used = new Set([...template.matchAll(FIELD)].map((m) => m[1]));
  const missing = REQUIRED_FIELDS.filter((f) => !used.has(f));
  if (missing.length) return `a notice must say what is released, to whom, when and how to object (P9): add ${missing.map((f) => `{{${f}}}`).join(', ')}`;
  return undefined;
}

/** Fills a template's fields; an unknown field is a usage error naming it (a template stored before a field was renamed). */
export function fillTemplate(template: string, values: TemplateValues): string {
  const problem = checkTemplate(template);
  if (problem) throw new UsageError(`the notice-template setting is not usable: ${problem}`, 'fix it with consort config set notice-template FILE');
  const text = template.replace(FIELD, (_, name: TemplateField) => values[name]).replace(/\r\n?/g, '\n');
  return text.endsWith('\n') ? text : text + '\n';
}

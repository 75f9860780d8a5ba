import type { Purpose } from '../../db/schema/index.js';
import type { ConsentEventRow } from './consent.repo.js';

/** The current state of one (purpose, scope): its latest event. */
export interface ConsentState {
  purpose: Purpose;
  document: string | null;
  state: 'grant' | 'withdraw';
  since: string;
  basis: string;
}

/** Code-point order: purposes and document slugs are ASCII, and a locale collator costs milliseconds to start. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Reduces a ledger to the current state per (purpose, scope), ordered by purpose then document. */
export function currentStates(history: ConsentEventRow[]): ConsentState[] {
  const latest = new Map<string, ConsentEventRow>();
  for (const e of history) latest.set(`${e.purpose}\u0000${e.document ?? ''}`, e);
  return [...latest.values()]
    .map((e) => ({ purpose: e.purpose, document: e.document, state: e.action, since: e.at, basis: e.basis }))
    .sort((a, b) => byCodePoint(a.purpose, b.purpose) || byCodePoint(a.document ?? '', b.document ?? ''));
}


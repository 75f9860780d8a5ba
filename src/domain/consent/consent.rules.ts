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

/** Reduces a ledger to the current state per (purpose, scope). */
export function currentStates(history: ConsentEventRow[]): ConsentState[] {
  const latest = new Map<string, ConsentEventRow>();
  for (const e of history) latest.set(`${e.purpose}\u0000${e.document ?? ''}`, e);
  return [...latest.values()]
    .map((e) => ({ purpose: e.purpose, document: e.document, state: e.action, since: e.at, basis: e.basis }))
    .sort((a, b) => a.purpose.localeCompare(b.purpose) || (a.document ?? '').localeCompare(b.document ?? ''));
}


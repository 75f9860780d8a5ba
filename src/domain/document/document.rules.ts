/** What the database knows about one candidate participant of a document. */
export interface CandidateFacts {
  personId: number;
  name: string;
  email: string;
  status: string;
  organisationId: number | null;
  organisation: string | null;
  activities: number;
  override: 'added' | 'removed' | null;
  documentConsent: 'grant' | 'withdraw' | null;
  blanketConsent: 'grant' | 'withdraw' | null;
}

export type HowParticipant = 'activity' | 'added by hand' | 'removed by hand' | 'below threshold' | 'not a member';
export type CreditConsent = 'per-document' | 'per-document withdrawn' | 'blanket' | 'blanket withdrawn' | 'none';

/** A candidate judged: is it an active participant, will it be credited, and why not. */
export interface Participant extends CandidateFacts {
  participant: boolean;
  how: HowParticipant;
  consent: CreditConsent;
  credited: boolean;
  reason: string;
}

/**
 * The rules of P8: an active participant is a member with at least `threshold`
 * activities on the document, or one added by hand, never one removed by hand
 * (a removal sticks whatever activity follows). A participant is credited only
 * with a current credit consent for the document, or a blanket one that no
 * per-document event overrides.
 */
export function judgeParticipant(c: CandidateFacts, threshold: number): Participant {
  let how: HowParticipant;
  if (c.override === 'removed') how = 'removed by hand';
  else if (c.override === 'added') how = 'added by hand';
  else if (c.status !== 'member') how = 'not a member';
  else how = c.activities >= threshold ? 'activity' : 'below threshold';
  const participant = how === 'activity' || how === 'added by hand';
  const consent: CreditConsent =
    c.documentConsent === 'grant' ? 'per-document' : c.documentConsent === 'withdraw' ? 'per-document withdrawn' : c.blanketConsent === 'grant' ? 'blanket' : c.blanketConsent === 'withdraw' ? 'blanket withdrawn' : 'none';
  const consented = consent === 'per-document' || consent === 'blanket';
  const credited = participant && consented;
  let reason = '';
  if (!participant) reason = how === 'below threshold' ? `${c.activities} of ${threshold} activities needed` : how;
  else if (!consented) reason = consent === 'none' ? 'no credit consent (ask them: P8)' : `credit consent ${consent.replace(' withdrawn', '')} withdrawn`;
  // Field by field (docs/ARCHITECTURE.md, objects made a row at a time): `{ ...c, participant, … }` cost 8 µs a candidate.
  return {
    personId: c.personId, name: c.name, email: c.email, status: c.status, organisationId: c.organisationId, organisation: c.organisation,
    activities: c.activities, override: c.override, documentConsent: c.documentConsent, blanketConsent: c.blanketConsent,
    participant, how, consent, credited, reason,
  };
}

/** The facts a credit releases: name, email, company (P8). */
export interface CreditFacts {
  name: string;
  email: string;
  company: string | null;
}

/** The facts a credit discloses, as stored on its disclosure. */
export function creditFactsJson(name: string, email: string, company: string | null): string {
  return JSON.stringify({ name, email, company } satisfies CreditFacts);
}

/** Sorts credits by name with locale-aware collation (not code-point order). */
export function sortCredits<T extends { name: string }>(list: T[]): T[] {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return [...list].sort((a, b) => collator.compare(a.name, b.name));
}

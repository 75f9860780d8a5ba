/**
 * Every problem `disclosures check` knows: its severity (an `error` fails the check, exit 3; an
 * `info` is shown and fails it only in a strict check), what it means, and whether staff may
 * accept it (`ack`): never someone untold, whom only telling clears (P9). Help and docs list the
 * codes from here; the commands that clear each are the command line's (src/cli/problems.ts).
 */
export const PROBLEMS = {
  'subject-not-informed': { severity: 'error', ack: false, about: 'the person has not been told' },
  'notice-failed': { severity: 'error', ack: false, about: 'the mail server refused the notice for good' },
  'notice-uncertain': { severity: 'error', ack: false, about: 'a send stopped before the server answered: it may have arrived' },
  'notice-too-late': { severity: 'error', ack: true, about: 'told fewer than notice-days days before the date' },
  'org-contact-not-informed': { severity: 'error', ack: false, about: "organisation-level disclosure; the organisation's contact was not told" },
  'org-has-no-contact': { severity: 'error', ack: false, about: 'organisation-level disclosure; nobody to tell' },
  'participant-without-consent': { severity: 'error', ack: true, about: 'a participant will be left out for lack of a credit consent' },
  'consent-withdrawn-after-notice': { severity: 'info', ack: true, about: 'told, then withdrew the consent: they will be left out' },
} as const satisfies Record<string, { severity: 'error' | 'info'; about: string; ack: boolean }>;

export type ProblemCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

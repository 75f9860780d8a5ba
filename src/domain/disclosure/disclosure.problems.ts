/**
 * Every problem `disclosures check` knows: its severity (an `error` fails the check, exit 3; an
 * `info` is shown and fails it only with --strict), what it means, how it is cleared, and
 * whether staff may accept it (`ack`): never someone untold, whom only telling clears (P9). Help
 * and docs list the codes from here.
 */
export const PROBLEMS = {
  'subject-not-informed': { severity: 'error', ack: false, about: 'the person has not been told', clear: 'consort notice send EMAIL, or consort notice record EMAIL --disclosure ID' },
  'notice-failed': { severity: 'error', ack: false, about: 'the mail server refused the notice for good', clear: 'fix the address (consort member update EMAIL --email NEW) and consort notice send --retry-failed EMAIL, or tell them another way and consort notice record EMAIL --disclosure ID --channel letter' },
  'notice-uncertain': { severity: 'error', ack: false, about: 'a send stopped before the server answered: it may have arrived', clear: 'look in the mail log, then consort notice record EMAIL --disclosure ID --at TIME, or consort notice send --resend-uncertain EMAIL' },
  'notice-too-late': { severity: 'error', ack: true, about: 'told fewer than notice-days days before the date', clear: 'move the release (consort document schedule SLUG --on DATE), or accept it: consort disclosures ack ID --reason TEXT' },
  'org-contact-not-informed': { severity: 'error', ack: false, about: "organisation-level disclosure; the organisation's contact was not told", clear: 'consort notice send EMAIL, or consort notice record EMAIL --disclosure ID' },
  'org-has-no-contact': { severity: 'error', ack: false, about: 'organisation-level disclosure; nobody to tell', clear: 'give it one: consort org update ORG --contact EMAIL' },
  'participant-without-consent': { severity: 'error', ack: true, about: 'a participant will be left out for lack of a credit consent', clear: 'ask them, then consort consent grant EMAIL credit --document SLUG; or accept it: consort disclosures ack ID --reason TEXT' },
  'consent-withdrawn-after-notice': { severity: 'info', ack: true, about: 'told, then withdrew the consent: they will be left out', clear: 'nothing to do' },
} as const satisfies Record<string, { severity: 'error' | 'info'; about: string; clear: string; ack: boolean }>;

export type ProblemCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

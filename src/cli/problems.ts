import type { DisclosureProblem, ProblemCode } from '../domain/disclosure/disclosure.check.js';
import { PROBLEMS } from '../domain/disclosure/disclosure.problems.js';

/**
 * The commands that clear each problem of `disclosures check` (the domain's table,
 * disclosure.problems.ts, says what each means; these words are the command line's).
 */
export const CLEARS: Record<ProblemCode, string> = {
  'subject-not-informed': 'consort notice send EMAIL, or consort notice record EMAIL --disclosure ID',
  'notice-failed': 'fix the address (consort member update EMAIL --email NEW) and consort notice send --retry-failed EMAIL, or tell them another way and consort notice record EMAIL --disclosure ID --channel letter',
  'notice-uncertain': 'look in the mail log, then consort notice record EMAIL --disclosure ID --at TIME, or consort notice send --resend-uncertain EMAIL',
  'notice-too-late': 'move the release (consort document schedule SLUG --on DATE), or accept it: consort disclosures ack ID --reason TEXT',
  'org-contact-not-informed': 'consort notice send EMAIL, or consort notice record EMAIL --disclosure ID',
  'org-has-no-contact': 'give it one: consort org update ORG --contact EMAIL',
  'participant-without-consent': 'ask them, then consort consent grant EMAIL credit --document SLUG; or accept it: consort disclosures ack ID --reason TEXT',
  'consent-withdrawn-after-notice': 'nothing to do',
};

/**
 * A problem as `disclosures check` shows it: the command that clears it comes after its message.
 * Field by field, not by rest and spread, which cost 1.4 µs a problem (0.4 s of a check printing
 * 300k); the return type names every field, so one added to DisclosureProblem must be added here.
 */
export function withClear(p: DisclosureProblem): DisclosureProblem & { clear: string } {
  return {
    id: p.id, code: p.code, severity: p.severity, disclosure: p.disclosure, kind: p.kind, subject: p.subject, organisation: p.organisation,
    document: p.document, due_on: p.due_on, message: p.message, clear: CLEARS[p.code], acknowledged: p.acknowledged,
  };
}

/** The problem codes, their severity and what clears each, for `disclosures check --help`. */
export function problemsHelp(): string {
  const width = Math.max(...Object.keys(PROBLEMS).map((c) => c.length));
  const rows = Object.entries(PROBLEMS).map(([code, p]) => `  ${code.padEnd(width)}  ${p.severity.padEnd(5)}  ${p.about}\n  ${' '.repeat(width)}         clear: ${CLEARS[code as ProblemCode]}`);
  return `
Problem codes (every format shows a stable id, CODE:dDISCLOSURE or CODE:SLUG:pPERSON, and the code;
an error fails the check with exit 3, an info only with --strict; an acknowledged problem fails
nothing until its facts change):
${rows.join('\n')}

Exit codes: 0 nothing fails; 3 problems to act on; 8 the database cannot be checked (missing, locked).
Treat 8 as loudly as 3: a check that could not run has not passed.

Example (cron, every morning; the same line as consort help cron, which mails exit 3 and 8 alike):
  30 7 * * *  consort disclosures check -q --format csv > /var/lib/consort/p9.csv 2>&1 || { echo "consort disclosures check: exit $? (3: people to tell before a release; 8: the database cannot be checked)"; cat /var/lib/consort/p9.csv; }`;
}

import type { ProblemCode } from '../domain/disclosure/disclosure.problems.js';
import { ConsortError, type InputProblem, type Reason } from '../errors.js';
import { CLEARS } from './problems.js';

type Words<K extends Reason['key']> = (r: Extract<Reason, { key: K }>) => { message?: string; hint?: string };

/**
 * The command line's words for each reason a service gives (src/errors.ts): the hint, and the
 * message where the service's own names no flag. One entry a key, checked by the compiler.
 */
const WORDS: { [K in Reason['key']]: Words<K> } = {
  'find-person': () => ({ hint: 'see consort member list --search' }),
  'allow-erased': () => ({ hint: 'if they came back of their own accord, pass --allow-erased' }),
  'nothing-to-change': (r) => ({ hint: r.fields === 'person' ? 'pass --name, --email, --org or --status' : 'pass --name, --domain, --member, --non-member or --contact' }),
  'erasure-reason': () => ({ message: 'missing --reason', hint: 'say why, e.g. --reason "request of 2026-03-01"' }),
  'draft-needs-date': (r) => ({ hint: `consort document schedule ${r.slug} --on DATE` }),
  'never-released': (r) => ({ message: `document '${r.slug}' was never released; --again is for a new edition`, hint: `consort document release ${r.slug}` }),
  'already-released': () => ({ hint: 'pass --again to release a new edition' }),
  'p9-untold': () => ({ hint: 'record the notices with consort notice record, or pass --force --reason TEXT' }),
  'p9-early': (r) => ({ hint: `wait until ${r.until}, or pass --force --reason TEXT` }),
  'force-needs-reason': (r) => ({ message: '--force needs --reason', hint: `say why the release cannot wait for ${r.waitFor}` }),
  'demo-exists': () => ({ hint: 'pass --force to rebuild a demo database, or choose another --db' }),
  'not-a-demo': () => ({ hint: 'choose another --db' }),
  'database-exists': () => ({ hint: 'use it, or choose another --db PATH' }),
  'foreign-database': () => ({ hint: 'choose another --db PATH' }),
  'p2-legal-basis': () => ({ hint: 'pass --legal-basis naming the law or order that mandates it' }),
  'missing-recipient': () => ({ message: 'missing --to', hint: 'name the recipient, e.g. --to "District Court of Example"' }),
  title: (r) => ({ message: `--title ${r.error}`, hint: 'give the document title' }),
  domain: () => ({ hint: 'e.g. --domain example.org' }),
  'notice-before': (r) => ({ message: `${r.given ? '--at' : 'the notice time'} ${r.at} is before ${r.which}`, hint: `a notice cannot come before what it tells of: the earliest allowed time is ${r.earliest}` }),
  'skip-invalid-notices': () => ({ hint: 'remove them, or pass --skip-invalid to record the others' }),
  'notice-at-not-time': (r) => ({ message: `--at is not an ISO 8601 time: '${r.at}'`, hint: 'e.g. --at 2026-01-31T09:00:00Z' }),
  'notice-at-future': (r) => ({ message: `--at ${r.at} is in the future`, hint: `a notice is recorded once given: give --at ${r.now} or earlier` }),
  'notice-channel': () => ({ message: '--channel must be 1 to 50 printable characters', hint: 'see consort --help' }),
  'clear-problem': (r) => ({ hint: CLEARS[r.code as ProblemCode] }),
  'skip-invalid-rows': () => ({ hint: 'fix them, or pass --skip-invalid to import the rest' }),
  'pipe-bad-row': () => ({ hint: 'fix the producer, or pass --skip-invalid' }),
  'erased-row': () => ({ hint: 'pass --allow-erased if they came back' }),
  'notice-of-one': () => ({ message: 'give exactly one of --disclosure ID, --document SLUG (or --from FILE.mbox)', hint: 'e.g. consort notice record ada@example.org --disclosure 12' }),
};

/**
 * Words an error that a service threw with a reason, in the command line's terms, before main
 * prints it; any other error is returned as it is. (The error is reworded in place: it is on
 * its way out, and this is the one place that words it.)
 */
export function wordError<E>(err: E): E {
  if (!(err instanceof ConsortError) || !err.reason) return err;
  const words = (WORDS[err.reason.key] as Words<Reason['key']>)(err.reason);
  if (words.message !== undefined) err.message = words.message;
  if (words.hint !== undefined) err.hint = words.hint;
  return err;
}

/** A row problem in the command line's words: its advice, if any, after its reason in brackets. */
export function wordProblem<P extends InputProblem>(p: P): P {
  if (!p.advice) return p;
  const { hint } = (WORDS[p.advice.key] as Words<Reason['key']>)(p.advice);
  return hint === undefined ? p : { ...p, reason: `${p.reason} (${hint})` };
}

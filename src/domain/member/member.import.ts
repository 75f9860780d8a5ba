import type { Db } from '../../db/connection.js';
import type { Input } from '../../io/input.js';
import type { Stamp } from '../audit/audit.service.js';
import { runImport, type ImportHooks, type ImportOptions, type RowOutcome, type RowProblem } from '../import.js';
import { orgKey } from '../org/org.repo.js';
import { rowParser } from '../schema.js';
import type { OnDuplicate } from './member.constants.js';
import { memberImportStatements } from './member.repo.js';
import { erasedChecker } from './member.erase.js';
import { membershipStatements } from '../disclosure/disclosure.repo.js';
import { addDays } from '../disclosure/disclosure.service.js';
import { getSetting } from '../settings/settings.service.js';
import { currentPolicySync } from '../policy/policy.service.js';
import { MEMBER_COLUMNS, memberRowSchema, type MemberRow } from './member.schema.js';

export interface MemberImportOptions extends ImportOptions {
  /** Accept addresses that belonged to erased people. */
  allowErased?: boolean;
  onDuplicate?: OnDuplicate;
  source?: string;
}

/**
 * Imports people from CSV or NDJSON in one transaction. Existing people are skipped
 * (or updated: name and organisation only); an import never records a consent for
 * an existing person, so it can never re-subscribe someone who withdrew.
 * A second row for the same address in one file is a bad row.
 */
export async function importPeople(db: Db, stamp: Stamp, input: Input, opts: MemberImportOptions, hooks?: ImportHooks) {
  const st = memberImportStatements(db.sqlite);
  const membership = membershipStatements(db.sqlite);
  const wasErased = erasedChecker(db.sqlite);
  const announceOn = addDays(stamp.at, Number(await getSetting(db.kysely, 'notice-days')));
  const orgNames = new Map<number, string>();
  const onDuplicate = opts.onDuplicate ?? 'skip';
  const source = opts.source?.trim() || `import:${input.name}`;
  const orgIds = new Map<string, number>();
  // lineOf[person id] is the line of this file that already named that person (added, skipped
  // or updated): an in-file duplicate names its first line with 4 bytes a person, no map of emails.
  let lineOf = new Uint32Array(1024);
  const seen = (id: number, line: number) => {
    if (id >= lineOf.length) {
      const grown = new Uint32Array(Math.max(lineOf.length * 2, id + 1024));
      grown.set(lineOf);
      lineOf = grown;
    }
    lineOf[id] = line;
  };
  const orgId = (name: string): number => {
    const key = orgKey(name);
    let id = orgIds.get(key);
    if (id === undefined) {
      id = st.findOrg.get(key)?.id ?? Number(st.insertOrg.run(name, key, stamp.at, stamp.at).lastInsertRowid);
      orgIds.set(key, id);
    }
    return id;
  };
  const policy = currentPolicySync(db.sqlite);
  const grant = (personId: number, purpose: string, action: 'grant' | 'withdraw', basis: string, evidence: string) =>
    st.insertConsent.run(personId, purpose, action, stamp.at, basis, evidence, stamp.actor, policy, stamp.at);

  return runImport<MemberRow>(
    db,
    stamp,
    input,
    {
      kind: 'member',
      columns: MEMBER_COLUMNS,
      parse: rowParser(memberRowSchema),
      apply: (row, line): RowOutcome | RowProblem => {
        const { email, key } = row.email;
        const existing = st.findPerson.get(key);
        if (existing) {
          const id = Number(existing.id);
          const firstLine = lineOf[id];
          if (firstLine) return { source: input.name, line, field: 'email', reason: `duplicate of line ${firstLine} (addresses are compared case-insensitively)` };
          if (onDuplicate === 'fail') return { source: input.name, line, field: 'email', reason: `${email} already exists`, conflict: true };
          seen(id, line);
          if (onDuplicate === 'skip') return { line, action: 'SKIP', key: email, note: 'already exists' };
          st.updatePerson.run(row.name, row.organization ? orgId(row.organization) : null, stamp.at, id);
          return { line, action: 'UPDATE', key: email, note: 'name and organisation; consents unchanged' };
        }
        if (!opts.allowErased && wasErased(key)) return { source: input.name, line, field: 'email', reason: 'belonged to a person who was erased (pass --allow-erased if they came back)', conflict: true };
        const personId = Number(st.insertPerson.run(row.name, email, key, row.organization ? orgId(row.organization) : null, row.status, source, stamp.at, stamp.at).lastInsertRowid);
        seen(personId, line);
        const evidence = `${input.name} line ${line}`;
        if (row.status === 'member') {
          const organisationId = row.organization ? orgId(row.organization) : null;
          if (organisationId !== null && !orgNames.has(organisationId)) orgNames.set(organisationId, (db.sqlite.prepare('select name from organisation where id = ?').get(organisationId) as { name: string }).name);
          membership.plan(personId, organisationId, { name: row.name, email, organisation: organisationId === null ? null : orgNames.get(organisationId)! }, stamp.at, announceOn, stamp.actor);
          grant(personId, 'newsletter', 'grant', 'membership-terms', evidence);
          grant(personId, 'directory', 'grant', 'membership-terms', evidence);
          if (row.newsletter === false) grant(personId, 'newsletter', 'withdraw', 'import', `${evidence}: newsletter=no`);
        } else if (row.newsletter === true) {
          grant(personId, 'newsletter', 'grant', 'import', `${evidence}: newsletter=yes`);
        }
        return { line, action: 'ADD', key: email, note: row.status };
      },
    },
    opts,
    hooks,
  );
}

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
import { currentPolicy } from '../policy/policy.service.js';
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
  const onDuplicate = opts.onDuplicate ?? 'skip';
  const source = opts.source?.trim() || `import:${input.name}`;
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

  return runImport<MemberRow>(
    db,
    stamp,
    input,
    {
      kind: 'member',
      columns: MEMBER_COLUMNS,
      parse: rowParser(memberRowSchema),
      prepare: async (conn) => {
        const st = memberImportStatements(db, conn);
        const membership = membershipStatements(db, conn);
        const wasErased = await erasedChecker(db, conn);
        const announceOn = addDays(stamp.at, Number(await getSetting(conn, 'notice-days')));
        const policy = await currentPolicy(conn);
        const orgs = new Map<string, { id: number; name: string }>();
        const org = async (name: string) => {
          const key = orgKey(name);
          let o = orgs.get(key);
          if (o === undefined) {
            const found = await st.findOrg.get(key);
            o = found ?? { id: (await st.insertOrg.run(name, key, stamp.at, stamp.at)).id, name };
            orgs.set(key, o);
          }
          return o;
        };
        const grant = (personId: number, purpose: string, action: 'grant' | 'withdraw', basis: string, evidence: string) =>
          st.insertConsent.run(personId, purpose, action, stamp.at, basis, evidence, stamp.actor, policy, stamp.at);

        return async (row, line): Promise<RowOutcome | RowProblem> => {
          const { email, key } = row.email;
          const existing = await st.findPerson.get(key);
          if (existing) {
            const id = Number(existing.id);
            const firstLine = lineOf[id];
            if (firstLine) return { source: input.name, line, field: 'email', reason: `duplicate of line ${firstLine} (addresses are compared case-insensitively)` };
            if (onDuplicate === 'fail') return { source: input.name, line, field: 'email', reason: `${email} already exists`, conflict: true };
            seen(id, line);
            if (onDuplicate === 'skip') return { line, action: 'SKIP', key: email, note: 'already exists' };
            await st.updatePerson.run(row.name, row.organization ? (await org(row.organization)).id : null, stamp.at, id);
            return { line, action: 'UPDATE', key: email, note: 'name and organisation; consents unchanged' };
          }
          if (!opts.allowErased && (await wasErased(key))) return { source: input.name, line, field: 'email', reason: 'belonged to a person who was erased (pass --allow-erased if they came back)', conflict: true };
          const organisation = row.organization ? await org(row.organization) : null;
          const personId = (await st.insertPerson.run(row.name, email, key, organisation?.id ?? null, row.status, source, stamp.at, stamp.at)).id;
          seen(personId, line);
          const evidence = `${input.name} line ${line}`;
          if (row.status === 'member') {
            await membership.plan(personId, organisation?.id ?? null, { name: row.name, email, organisation: organisation?.name ?? null }, stamp.at, announceOn, stamp.actor);
            await grant(personId, 'newsletter', 'grant', 'membership-terms', evidence);
            await grant(personId, 'directory', 'grant', 'membership-terms', evidence);
            if (row.newsletter === false) await grant(personId, 'newsletter', 'withdraw', 'import', `${evidence}: newsletter=no`);
          } else if (row.newsletter === true) {
            await grant(personId, 'newsletter', 'grant', 'import', `${evidence}: newsletter=yes`);
          }
          return { line, action: 'ADD', key: email, note: row.status };
        };
      },
    },
    opts,
    hooks,
  );
}

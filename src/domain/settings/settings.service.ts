import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { appendAuditEntry } from '../audit/audit.repo.js';
import type { Stamp } from '../audit/audit.service.js';
import { checkTemplate } from '../notice/notice.template.js';
import { deleteSetting, findSettingValue, hasSettingValue, listStoredSettings, upsertSetting } from './settings.repo.js';
import { smtpUrlProblem } from './smtp-url.js';

const positiveInt = (v: string) => (/^[1-9]\d{0,5}$/.test(v) ? undefined : 'must be a whole number from 1 to 999999');
const nonNegativeInt = (v: string) => (/^\d{1,6}$/.test(v) ? undefined : 'must be a whole number from 0 to 999999');
const text = (v: string) => (v.trim() && v.length <= 500 && !/[\x00-\x1f\x7f]/.test(v) ? undefined : 'must be 1 to 500 printable characters');
const url = (v: string) => (/^https?:\/\/[^\s]+$/.test(v) ? undefined : 'must be an http(s) URL');

/** Every setting, its default and its check (SPEC section 2). */
export const SETTINGS: Record<string, { default: string; check: (v: string) => string | undefined; about: string; file?: boolean }> = {
  'notice-days': { default: '14', check: nonNegativeInt, about: 'days of notice before a disclosure (P9)' },
  'participation-threshold': { default: '3', check: positiveInt, about: 'activities on a document that make an active participant (P8)' },
  'research-min-cell': { default: '5', check: positiveInt, about: 'smallest count shown in a research export (P3)' },
  'controller-name': { default: 'The Consortium', check: text, about: 'data controller named in receipts and notices' },
  'controller-contact': { default: 'privacy@consortium.example', check: text, about: 'where people write about their data' },
  'policy-url': { default: 'https://consortium.example/privacy', check: url, about: 'the privacy statement in force' },
  'controller-address': { default: '1 Example Street, Example City', check: text, about: 'postal address of the data controller (consent receipts)' },
  'controller-phone': { default: '+1 555 0100', check: text, about: 'phone of the data controller (consent receipts)' },
  jurisdiction: { default: 'US', check: text, about: 'jurisdiction named in consent receipts' },
  'smtp-url': { default: '', check: smtpUrlProblem, about: 'the mail server notice send uses: smtp://[user@]host[:587] (STARTTLS) or smtps://[user@]host[:465]; the password comes from CONSORT_SMTP_PASSWORD(_FILE)' },
  'notice-template': { default: '', check: checkTemplate, about: 'the text of notice letters, with {{fields}} (consort help notice); set from a FILE; empty: the built-in letter', file: true },
};

function known(key: string) {
  const s = SETTINGS[key];
  if (!s) throw new NotFoundError(`no setting '${key}'`, `settings are: ${Object.keys(SETTINGS).join(', ')}`);
  return s;
}

/** Reads a setting, falling back to its default. */
export async function getSetting(db: Kysely<Database>, key: string): Promise<string> {
  const s = known(key);
  return (await findSettingValue(db, key)) ?? s.default;
}

/** Whether a setting was ever set (its default is in force otherwise). */
export async function isSet(db: Kysely<Database>, key: string): Promise<boolean> {
  known(key);
  return hasSettingValue(db, key);
}

/** Every setting with its value and whether it is the default. */
export async function listSettings(db: Db) {
  const rows = await listStoredSettings(db.kysely);
  const set = new Map(rows.map((r) => [r.key, r.value]));
  return Object.entries(SETTINGS).map(([key, s]) => ({ key, value: set.get(key) ?? s.default, default: !set.has(key), about: s.about }));
}

/** Puts a setting back to its default, audited. */
export async function unsetSetting(db: Db, stamp: Stamp, key: string): Promise<{ key: string; value: string; previous: string }> {
  const s = known(key);
  return inTransaction(db, async (trx) => {
    const previous = await getSetting(trx, key);
    await deleteSetting(trx, key);
    await appendAuditEntry(trx, { ...stamp, summary: `setting ${key}: ${s.file ? `${previous.length} characters` : previous} -> default` });
    return { key, value: s.default, previous };
  });
}

/** Validates and stores a setting, audited. */
export async function setSetting(db: Db, stamp: Stamp, key: string, value: string): Promise<{ key: string; value: string; previous: string }> {
  const s = known(key);
  const problem = s.check(value);
  if (problem) throw new UsageError(`invalid value for ${key}: ${problem}`, s.file ? `consort config set ${key} FILE` : s.default ? `e.g. consort config set ${key} ${s.default}` : 'see consort config list');
  return inTransaction(db, async (trx) => {
    const previous = await getSetting(trx, key);
    await upsertSetting(trx, key, value);
    // A whole letter is no summary: its size says that it changed.
    await appendAuditEntry(trx, { ...stamp, summary: s.file ? `setting ${key}: ${previous.length} -> ${value.length} characters` : `setting ${key}: ${previous} -> ${value}` });
    return { key, value, previous };
  });
}

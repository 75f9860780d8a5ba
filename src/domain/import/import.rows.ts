import { ACTIVITY_COLUMNS, activityRowSchema } from '../activity/activity.schema.js';
import { CONSENT_COLUMNS, consentRowSchema } from '../consent/consent.schema.js';
import { MEMBER_COLUMNS, memberRowSchema } from '../member/member.schema.js';
import { rowParser } from '../shared/schema.js';

/**
 * Each import's rows: its columns, and how a row is checked. The import's spec takes them from
 * here, and so does the reader thread of a file import (import.worker.ts), by kind.
 */
export const IMPORT_ROWS = {
  member: { columns: MEMBER_COLUMNS, parse: rowParser(memberRowSchema) },
  activity: { columns: ACTIVITY_COLUMNS, parse: rowParser(activityRowSchema) },
  consent: { columns: CONSENT_COLUMNS, parse: rowParser(consentRowSchema) },
};

export type ImportKind = keyof typeof IMPORT_ROWS;

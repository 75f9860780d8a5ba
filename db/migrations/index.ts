import type { Migration } from 'kysely';
import * as m0001 from './0001-core.js';
import * as m0002 from './0002-activity-documents.js';
import * as m0003 from './0003-notices.js';
import * as m0004 from './0004-activity-unique.js';
import * as m0005 from './0005-participation.js';
import * as m0006 from './0006-privacy-rights.js';
import * as m0007 from './0007-activity-index.js';
import * as m0008 from './0008-audit-head.js';
import * as m0009 from './0009-activity-null-document.js';
import * as m0010 from './0010-notice-delivery.js';
import * as m0011 from './0011-consent-state-covering.js';
import * as m0012 from './0012-audit-hash-version.js';

/** Every migration, in order; a static list so the bundle needs no file-system scan. */
export const migrations: Record<string, Migration> = {
  '0001-core': m0001,
  '0002-activity-documents': m0002,
  '0003-notices': m0003,
  '0004-activity-unique': m0004,
  '0005-participation': m0005,
  '0006-privacy-rights': m0006,
  '0007-activity-index': m0007,
  '0008-audit-head': m0008,
  '0009-activity-null-document': m0009,
  '0010-notice-delivery': m0010,
  '0011-consent-state-covering': m0011,
  '0012-audit-hash-version': m0012,
};

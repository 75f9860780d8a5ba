import type { Migration } from 'kysely';
import { MIGRATION_NAMES, type MigrationName } from './names.js';
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

/**
 * The modules, one for each of MIGRATION_NAMES and in its order: the names are written once, in
 * names.ts, and each import's path here (a test holds the imports and this list to that order).
 */
const MODULES: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012];

/** Every migration by name, in order; a static list so the bundle needs no file-system scan. */
export const migrations = Object.fromEntries(MIGRATION_NAMES.map((name, i) => [name, MODULES[i]!])) as Record<MigrationName, Migration>;

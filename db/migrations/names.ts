/**
 * The migrations this build knows, in order: the one list of their names. Kept apart from
 * index.ts (which loads them, and so Kysely, and maps these names to them) so the schema check
 * at start-up loads nothing.
 */
export const MIGRATION_NAMES = ['0001-core', '0002-activity-documents', '0003-notices', '0004-activity-unique', '0005-participation', '0006-privacy-rights', '0007-activity-index', '0008-audit-head', '0009-activity-null-document', '0010-notice-delivery', '0011-consent-state-covering', '0012-audit-hash-version'] as const;
export type MigrationName = (typeof MIGRATION_NAMES)[number];

import type { ActivityTable } from './activity.js';
import type { AuditEntryTable, AuditHeadTable } from './audit-entry.js';
import type { ConsentEventTable } from './consent-event.js';
import type { DisclosureTable } from './disclosure.js';
import type { DocumentTable } from './document.js';
import type { ExportRecordTable } from './export-record.js';
import type { NoticeDeliveryTable, NoticeTable, ProblemAckTable } from './notice.js';
import type { OrganisationTable } from './organisation.js';
import type { ParticipantOverrideTable } from './participant-override.js';
import type { ParticipationTable } from './participation.js';
import type { PersonTable } from './person.js';
import type { ErasedEmailTable, PolicyVersionTable } from './privacy.js';
import type { SettingsTable } from './settings.js';

export * from './activity.js';
export * from './audit-entry.js';
export * from './consent-event.js';
export * from './disclosure.js';
export * from './document.js';
export * from './export-record.js';
export * from './notice.js';
export * from './organisation.js';
export * from './participant-override.js';
export * from './participation.js';
export * from './person.js';
export * from './privacy.js';
export * from './settings.js';

/** The whole schema as Kysely sees it. */
export interface Database {
  settings: SettingsTable;
  organisation: OrganisationTable;
  person: PersonTable;
  document: DocumentTable;
  consent_event: ConsentEventTable;
  export_record: ExportRecordTable;
  audit_entry: AuditEntryTable;
  audit_head: AuditHeadTable;
  activity: ActivityTable;
  participant_override: ParticipantOverrideTable;
  disclosure: DisclosureTable;
  notice: NoticeTable;
  notice_delivery: NoticeDeliveryTable;
  problem_ack: ProblemAckTable;
  participation: ParticipationTable;
  erased_email: ErasedEmailTable;
  policy_version: PolicyVersionTable;
}

import { sql, type Kysely } from 'kysely';
import { createRefuseFunction, isSqlite, refuseTrigger } from './dialect.js';

/** The core: settings, organisations, people, documents, the consent ledger, exports and the audit log. */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = await isSqlite(db);
  const id = (c: any) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  const idType = sqlite ? 'integer' : 'bigint';

  await db.schema.createTable('settings').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();

  await db.schema
    .createTable('organisation')
    .addColumn('id', idType, id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('domain', 'text')
    .addColumn('membership', 'text', (c) => c.notNull().defaultTo('non-member').check(sql`membership in ('member', 'non-member')`))
    .addColumn('joined_on', 'text')
    .addColumn('contact_person_id', idType)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('person')
    .addColumn('id', idType, id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('organisation_id', idType, (c) => c.references('organisation.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('contact', 'member', 'former')`))
    .addColumn('source', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_organisation').on('person').column('organisation_id').execute();
  await db.schema.createIndex('person_status').on('person').column('status').execute();

  await db.schema
    .createTable('document')
    .addColumn('id', idType, id)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'scheduled', 'released')`))
    .addColumn('release_on', 'text')
    .addColumn('released_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consent_event')
    .addColumn('id', idType, id)
    .addColumn('person_id', idType, (c) => c.notNull().references('person.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('newsletter', 'directory', 'announcement', 'credit')`))
    .addColumn('document_id', idType, (c) => c.references('document.id'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('grant', 'withdraw')`))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull().check(sql`basis in ('request', 'membership-terms', 'staff-recorded', 'import')`))
    .addColumn('evidence', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('policy_version', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consent_event_state').on('consent_event').columns(['person_id', 'purpose', 'document_id', 'at', 'id']).execute();

  await db.schema
    .createTable('export_record')
    .addColumn('id', idType, id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('destination', 'text')
    .execute();

  await db.schema
    .createTable('audit_entry')
    .addColumn('seq', idType, (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  if (sqlite) {
    for (const table of ['consent_event', 'audit_entry']) {
      for (const op of ['update', 'delete']) {
        await sql
          .raw(`create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${table} is append-only'); end`)
          .execute(db);
      }
    }
  } else {
    await createRefuseFunction(db);
    for (const table of ['consent_event', 'audit_entry']) {
      for (const op of ['update', 'delete', 'truncate']) await refuseTrigger(db, `${table}_no_${op}`, op, table, null, `${table} is append-only`);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_entry', 'export_record', 'consent_event', 'document', 'person', 'organisation', 'settings']) await db.schema.dropTable(t).execute();
}

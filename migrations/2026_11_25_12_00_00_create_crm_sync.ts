import { type Kysely, sql } from 'kysely'

/**
 * CRM synchronisation (HubSpot): a workspace's connection (token encrypted with the workspace
 * secret), the contact target groups linked to a HubSpot list with their schedule, and on
 * `import_job` the source of an import, so a synchronisation run is an import like a CSV one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('import_job')
    .addColumn('source', 'text', (c) =>
      c.notNull().defaultTo('file').check(sql`source in ('file', 'hubspot')`),
    )
    .execute()
  await db.schema
    .createIndex('import_job_group_source_idx')
    .on('import_job')
    .columns(['target_group_id', 'source', 'created_at'])
    .execute()

  await db.schema
    .createTable('crm_connection')
    .addColumn('workspace_id', 'uuid', (c) => c.primaryKey().references('workspace.id').onDelete('cascade'))
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('token_sealed', 'text', (c) => c.notNull())
    .addColumn('token_hint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('connected').check(sql`status in ('connected', 'failing')`),
    )
    .addColumn('error', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('crm_list_link')
    .addColumn('target_group_id', 'uuid', (c) =>
      c.primaryKey().references('target_group.id').onDelete('cascade'),
    )
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('list_name', 'text', (c) => c.notNull())
    .addColumn('interval_minutes', 'integer', (c) =>
      c.notNull().defaultTo(15).check(sql`interval_minutes between 5 and 1440`),
    )
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('ok').check(sql`status in ('ok', 'failing')`))
    .addColumn('error', 'text')
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('crm_list_link_due_idx')
    .on('crm_list_link')
    .columns(['next_run_at'])
    .where(sql.ref('status'), '=', 'ok')
    .execute()
  await db.schema
    .createIndex('crm_list_link_workspace_idx')
    .on('crm_list_link')
    .columns(['workspace_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('crm_list_link').execute()
  await db.schema.dropTable('crm_connection').execute()
  await db.schema.dropIndex('import_job_group_source_idx').execute()
  await db.schema.alterTable('import_job').dropColumn('source').execute()
}

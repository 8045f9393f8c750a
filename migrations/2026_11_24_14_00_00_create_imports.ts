import { type Kysely, sql } from 'kysely'

/**
 * CSV imports: the uploaded file's detected dialect and headers, the chosen mapping and mode,
 * the dry-run and apply reports, and (in `import_change`) the before-image of every row and
 * membership an apply touched, so the import can be undone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_job')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('accounts', 'contacts')`))
    .addColumn('target_group_id', 'uuid', (c) => c.references('target_group.id').onDelete('set null'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'bigint', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('delimiter', 'text', (c) => c.notNull())
    .addColumn('has_header', 'boolean', (c) => c.notNull())
    .addColumn('headers', sql`text[]`, (c) => c.notNull())
    .addColumn('mapping', 'jsonb', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('add_update'))
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('uploaded')
        .check(sql`status in ('uploaded', 'checked', 'applying', 'applied', 'failed', 'undone')`),
    )
    .addColumn('report', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('applied_at', 'timestamptz')
    .addColumn('undone_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('import_job_workspace_idx')
    .on('import_job')
    .columns(['workspace_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_job').execute()
}

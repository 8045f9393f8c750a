import { type Kysely, sql } from 'kysely'

/**
 * Signature templates: sanitised HTML with placeholders. One workspace default (partial unique
 * index); departments and employees may point at their own template, which then wins.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signature_template')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('signature_template_workspace_idx')
    .on('signature_template')
    .column('workspace_id')
    .execute()
  await db.schema
    .createIndex('signature_template_default_key')
    .on('signature_template')
    .column('workspace_id')
    .unique()
    .where(sql.ref('is_default'), '=', true)
    .execute()

  await db.schema
    .alterTable('department')
    .addColumn('signature_template_id', 'uuid', (c) =>
      c.references('signature_template.id').onDelete('set null'),
    )
    .execute()
  await db.schema
    .alterTable('app_user')
    .addColumn('signature_template_id', 'uuid', (c) =>
      c.references('signature_template.id').onDelete('set null'),
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('signature_template_id').execute()
  await db.schema.alterTable('department').dropColumn('signature_template_id').execute()
  await db.schema.dropTable('signature_template').execute()
}

import { type Kysely, sql } from 'kysely'

/**
 * The before-image of everything an applied import changed, so it can be undone: contacts or
 * accounts it created, updated or restored, and target-group memberships it added or removed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_change')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('import_job.id').onDelete('cascade'))
    .addColumn('entity', 'text', (c) =>
      c.notNull().check(sql`entity in ('contact', 'account', 'membership')`),
    )
    .addColumn('entity_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('created', 'updated', 'restored', 'joined', 'left')`),
    )
    .addColumn('before', 'jsonb')
    .execute()
  await db.schema
    .createIndex('import_change_import_idx')
    .on('import_change')
    .columns(['import_id', 'entity'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_change').execute()
}

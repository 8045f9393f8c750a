import type { Kysely } from 'kysely'

/**
 * An import's write time, `now()` of its apply transaction: every row it created, updated or
 * restored has that `updated_at`, every membership it added that `added_at`. An undo puts back
 * only what still has it, and keeps (`undo_report`) what was changed since.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('import_job')
    .addColumn('written_at', 'timestamptz')
    .addColumn('undo_report', 'jsonb')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_job').dropColumn('written_at').dropColumn('undo_report').execute()
}

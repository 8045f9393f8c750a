import { type Kysely, sql } from 'kysely'

/**
 * Dry runs and applies run as background jobs: `checking` is the status of a dry run under way
 * (`applying` already names an apply), and `progress` is what the job reports while it runs —
 * `{ run, phase, rows, total, totalIsEstimate, percent, startedAt, updatedAt }` — kept after it ends.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_job').dropConstraint('import_job_status_check').execute()
  await db.schema
    .alterTable('import_job')
    .addCheckConstraint(
      'import_job_status_check',
      sql`status in ('uploaded', 'checking', 'checked', 'applying', 'applied', 'failed', 'undone')`,
    )
    .execute()
  await db.schema.alterTable('import_job').addColumn('progress', 'jsonb').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_job').dropColumn('progress').execute()
  await db.schema.alterTable('import_job').dropConstraint('import_job_status_check').execute()
  await db.schema
    .alterTable('import_job')
    .addCheckConstraint(
      'import_job_status_check',
      sql`status in ('uploaded', 'checked', 'applying', 'applied', 'failed', 'undone')`,
    )
    .execute()
}

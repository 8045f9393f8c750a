import { type Kysely, sql } from 'kysely'

/** Lead lists are ordered by the latest human click unless machine clicks are asked for. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index stats_lead_recent_human_idx on stats_lead (workspace_id, kind, last_human_click_at)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index stats_lead_recent_human_idx`.execute(db)
}

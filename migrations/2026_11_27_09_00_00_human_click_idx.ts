import { type Kysely, sql } from 'kysely'

/**
 * An account's or contact's last clicks look up the human clicks of each of its deliveries:
 * hundreds of probes a call, cheap in an index of clicks alone (a few percent of the events)
 * that stays in memory, where the index of every event by delivery does not.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index tracking_event_human_click_idx on tracking_event (delivery_id)
    where kind = 'click' and human`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index tracking_event_human_click_idx`.execute(db)
}

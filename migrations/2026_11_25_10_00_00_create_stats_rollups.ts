import { type Kysely, sql } from 'kysely'

/**
 * Statistics: pre-aggregated rollups of the tracking events, the queue that feeds them, lead
 * rollups, and what a marketer's re-classification of an event leaves behind.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One row per (dimension, id, sub-id, grain, bucket). Dimensions: workspace, campaign,
  // variant, employee, account, contact. `sub_id` is the nil uuid for "all campaigns", or a
  // campaign id (employee, account and contact rows also per campaign, for breakdowns). Grains:
  // UTC hour (h, so a day in any whole-hour time zone is 24 of them), UTC day (d), UTC month
  // (m); per-campaign rows only at d and m. Counts may be corrected downwards by a
  // re-classification, never below what the events hold.
  await db.schema
    .createTable('stats_rollup')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('dim', 'text', (c) =>
      c.notNull().check(sql`dim in ('workspace', 'campaign', 'variant', 'employee', 'account', 'contact')`),
    )
    .addColumn('dim_id', 'uuid', (c) => c.notNull())
    .addColumn('sub_id', 'uuid', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull().check(sql`grain in ('h', 'd', 'm')`))
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('views_human', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clicks_human', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('stats_rollup_pkey', [
      'workspace_id',
      'dim',
      'dim_id',
      'sub_id',
      'grain',
      'bucket',
    ])
    .execute()
  // Breakdowns: every id of a dimension within a range (top accounts of a campaign, of the workspace).
  await db.schema
    .createIndex('stats_rollup_breakdown_idx')
    .on('stats_rollup')
    .columns(['workspace_id', 'dim', 'sub_id', 'grain', 'bucket'])
    .execute()

  // Events not yet in the rollups. A trigger fills it in the inserting transaction, so an event
  // is queued exactly when it becomes visible, whatever order ids were taken in (the recorder
  // takes ids before it inserts, and retries a batch later with the same ids).
  await db.schema
    .createTable('stats_queue')
    .addColumn('event_id', 'bigint', (c) => c.primaryKey())
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`
    create function signet_stats_enqueue() returns trigger language plpgsql as $$
    begin
      insert into stats_queue (event_id) select id from new_events;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger tracking_event_stats_enqueue after insert on tracking_event
    referencing new table as new_events
    for each statement execute function signet_stats_enqueue()`.execute(db)
  await sql`insert into stats_queue (event_id) select id from tracking_event`.execute(db)

  // Recipients who clicked but are not managed: by domain (account leads) and by email (contact
  // leads, identified tier only), all time.
  await db.schema
    .createTable('stats_lead')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('domain', 'email')`))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull())
    .addColumn('clicks_human', 'integer', (c) => c.notNull())
    .addColumn('first_click_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_click_at', 'timestamptz', (c) => c.notNull())
    .addColumn('first_human_click_at', 'timestamptz')
    .addColumn('last_human_click_at', 'timestamptz')
    .addColumn('campaign_ids', sql`uuid[]`, (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_lead_pkey', ['workspace_id', 'kind', 'value'])
    .execute()
  await db.schema
    .createIndex('stats_lead_recent_idx')
    .on('stats_lead')
    .columns(['workspace_id', 'kind', 'last_click_at'])
    .execute()
  // Turning a lead into an account or contact finds its past deliveries.
  await sql`create index delivery_lead_domains_idx on delivery using gin (lead_domains)`.execute(db)
  await sql`create index delivery_lead_emails_idx on delivery using gin (lead_emails)`.execute(db)

  // A re-classified event keeps the classifier's reason beside the marketer's decision.
  await db.schema
    .alterTable('tracking_event')
    .addColumn('original_reason', 'text')
    .addColumn('reclassified_at', 'timestamptz')
    .addColumn('reclassified_by', 'uuid')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tracking_event')
    .dropColumn('original_reason')
    .dropColumn('reclassified_at')
    .dropColumn('reclassified_by')
    .execute()
  await sql`drop index delivery_lead_emails_idx`.execute(db)
  await sql`drop index delivery_lead_domains_idx`.execute(db)
  await db.schema.dropTable('stats_lead').execute()
  await sql`drop trigger tracking_event_stats_enqueue on tracking_event`.execute(db)
  await sql`drop function signet_stats_enqueue()`.execute(db)
  await db.schema.dropTable('stats_queue').execute()
  await db.schema.dropTable('stats_rollup').execute()
}

import { type Kysely, sql } from 'kysely'

/**
 * Tracking: the append-only event log (views, clicks, sent reports), the extension's health
 * reports, and the workspace settings the extension reads.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One row per counted request or report. Never updated: machine events are kept with their
  // reason and left out of statistics by `human`. No raw IP address is kept, only its network
  // (/24 for IPv4, /48 for IPv6). Accounts and contacts come from the delivery, so statistics
  // stay with them when group memberships change.
  await db.schema
    .createTable('tracking_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    // No foreign keys but the workspace's: a per-row check on four more tables costs more than
    // the insert itself at thousands of events a second, and events outlive what they name
    // (statistics stay when a delivery, campaign or employee is removed).
    .addColumn('delivery_id', 'uuid')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull())
    .addColumn('variant_id', 'uuid')
    .addColumn('employee_id', 'uuid')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('view', 'click', 'sent')`))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('human', 'boolean', (c) => c.notNull())
    .addColumn('machine_reason', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('network', 'text')
    .addColumn('proxy', 'text', (c) => c.check(sql`proxy in ('gmail', 'outlook', 'apple')`))
    .addCheckConstraint('tracking_event_reason_check', sql`human = (machine_reason is null)`)
    .execute()
  // Time-range scans over the whole log (rollups, retention) stay cheap on an append-only table.
  await sql`create index tracking_event_occurred_brin on tracking_event using brin (occurred_at)`.execute(db)
  // Per-campaign series and totals; the performance feed (latest events of a workspace).
  await db.schema
    .createIndex('tracking_event_campaign_idx')
    .on('tracking_event')
    .columns(['workspace_id', 'campaign_id', 'occurred_at'])
    .execute()
  await db.schema
    .createIndex('tracking_event_workspace_time_idx')
    .on('tracking_event')
    .columns(['workspace_id', 'occurred_at'])
    .execute()
  // A delivery's events: account/contact statistics join through the delivery, and a view is
  // counted once per delivery and hour.
  await db.schema
    .createIndex('tracking_event_delivery_idx')
    .on('tracking_event')
    .columns(['delivery_id', 'kind', 'occurred_at'])
    .execute()
  await db.schema
    .createIndex('tracking_event_employee_idx')
    .on('tracking_event')
    .columns(['workspace_id', 'employee_id', 'occurred_at'])
    .execute()
  // Account and contact statistics look deliveries up by the ids they carry.
  await sql`create index delivery_account_ids_idx on delivery using gin (account_ids)`.execute(db)
  await sql`create index delivery_contact_ids_idx on delivery using gin (contact_ids)`.execute(db)

  // The latest health report of each user's extension, per mail client.
  await db.schema
    .createTable('extension_health')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('client', 'text', (c) => c.notNull().check(sql`client in ('gmail', 'outlook')`))
    .addColumn('extension_version', 'text', (c) => c.notNull())
    .addColumn('insertions', 'integer', (c) => c.notNull())
    .addColumn('detection_failures', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('extension_health_pkey', ['user_id', 'client'])
    .execute()
  await db.schema
    .createIndex('extension_health_workspace_idx')
    .on('extension_health')
    .column('workspace_id')
    .execute()

  await db.schema
    .alterTable('workspace')
    .addColumn('disabled_features', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('client_signature', 'text', (c) =>
      c.notNull().defaultTo('keep').check(sql`client_signature in ('keep', 'replace')`),
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspace')
    .dropColumn('disabled_features')
    .dropColumn('client_signature')
    .execute()
  await db.schema.dropTable('extension_health').execute()
  await sql`drop index delivery_contact_ids_idx`.execute(db)
  await sql`drop index delivery_account_ids_idx`.execute(db)
  await db.schema.dropTable('tracking_event').execute()
}

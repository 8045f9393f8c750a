import { type Kysely, sql } from 'kysely'

/**
 * Departments, campaigns with their banner variants and audiences, banner images, and the
 * deliveries a resolve creates. Tracking events come in their own migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('department')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('department_name_key', ['workspace_id', 'name'])
    .execute()

  await db.schema
    .alterTable('app_user')
    .addColumn('department_id', 'uuid', (c) => c.references('department.id').onDelete('set null'))
    .addColumn('job_title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('mobile', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('photo_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('custom_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()

  // Banner bytes live in the database, so every API process serves every banner.
  await db.schema
    .createTable('banner_image')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) =>
      c.notNull().check(sql`content_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')`),
    )
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('banner_image_workspace_idx')
    .on('banner_image')
    .columns(['workspace_id', 'sha256'])
    .execute()

  await db.schema
    .createTable('campaign')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** receiver: assigned to target groups; sender: to all employees or to departments. */
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('receiver', 'sender')`))
    .addColumn('sender_scope', 'text', (c) =>
      c.notNull().defaultTo('all').check(sql`sender_scope in ('all', 'departments')`),
    )
    .addColumn('destination_url', 'text', (c) => c.notNull())
    .addColumn('utm', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .addColumn('paused_at', 'timestamptz')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_draft', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('campaign_workspace_idx').on('campaign').column('workspace_id').execute()

  await db.schema
    .createTable('campaign_variant')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaign.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo('A'))
    .addColumn('image_id', 'uuid', (c) => c.references('banner_image.id').onDelete('restrict'))
    .addColumn('alt_text', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1).check(sql`weight between 0 and 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('campaign_variant_campaign_idx')
    .on('campaign_variant')
    .column('campaign_id')
    .execute()

  await db.schema
    .createTable('campaign_target_group')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaign.id').onDelete('cascade'))
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('target_group.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('campaign_target_group_pkey', ['campaign_id', 'group_id'])
    .execute()
  await db.schema
    .createIndex('campaign_target_group_group_idx')
    .on('campaign_target_group')
    .column('group_id')
    .execute()

  await db.schema
    .createTable('campaign_department')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaign.id').onDelete('cascade'))
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('department.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('campaign_department_pkey', ['campaign_id', 'department_id'])
    .execute()

  // One row per resolve that showed a tracked banner: who sent what to whom, and when.
  await db.schema
    .createTable('delivery')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaign.id').onDelete('cascade'))
    .addColumn('variant_id', 'uuid', (c) => c.notNull().references('campaign_variant.id').onDelete('cascade'))
    .addColumn('employee_id', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('account_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('contact_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    /** Recipient domains and emails not (yet) managed, kept for leads. Emails only in the identified tier. */
    .addColumn('lead_domains', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('lead_emails', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('delivery_workspace_created_idx')
    .on('delivery')
    .columns(['workspace_id', 'created_at'])
    .execute()
  await db.schema.createIndex('delivery_campaign_idx').on('delivery').column('campaign_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'delivery',
    'campaign_department',
    'campaign_target_group',
    'campaign_variant',
    'campaign',
    'banner_image',
  ]) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema
    .alterTable('app_user')
    .dropColumn('department_id')
    .dropColumn('job_title')
    .dropColumn('phone')
    .dropColumn('mobile')
    .dropColumn('photo_url')
    .dropColumn('custom_fields')
    .execute()
  await db.schema.dropTable('department').execute()
}

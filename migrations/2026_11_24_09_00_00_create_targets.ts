import { type Kysely, sql } from 'kysely'

/** Accounts (companies by domain), contacts (people by email), target groups and their members. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('size', 'text')
    .addColumn('industry', 'text')
    .addColumn('contact_person', 'text')
    .addColumn('website', 'text')
    .addColumn('notes', 'text')
    .addColumn('custom_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_reason', 'text')
    .execute()
  // One live account per domain; deleted ones keep theirs for restore.
  await db.schema
    .createIndex('account_domain_key')
    .on('account')
    .columns(['workspace_id', 'domain'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()

  await db.schema
    .createTable('account_alias')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_alias_pkey', ['workspace_id', 'domain'])
    .execute()
  await db.schema.createIndex('account_alias_account_idx').on('account_alias').column('account_id').execute()

  await db.schema
    .createTable('contact')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('first_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text')
    .addColumn('company', 'text')
    .addColumn('job_title', 'text')
    .addColumn('language', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('address', 'text')
    .addColumn('labels', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('custom_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('source', 'text', (c) =>
      c.notNull().defaultTo('manual').check(sql`source in ('manual', 'import', 'api', 'crm')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(
          sql`status in ('active', 'not_confirmed', 'unsubscribed', 'hard_bounce', 'spam_report', 'blacklisted')`,
        ),
    )
    .addColumn('consent_given_at', 'timestamptz')
    .addColumn('consent_method', 'text')
    .addColumn('tracking_opt_out_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_reason', 'text')
    .execute()
  // Emails are stored lower-case, so uniqueness is case-insensitive.
  await db.schema
    .createIndex('contact_email_key')
    .on('contact')
    .columns(['workspace_id', 'email'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('contact_domain_idx')
    .on('contact')
    .columns(['workspace_id', 'domain'])
    .execute()
  await db.schema.createIndex('contact_account_idx').on('contact').column('account_id').execute()

  await db.schema
    .createTable('target_group')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('account', 'contact')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('target_group_workspace_idx')
    .on('target_group')
    .column('workspace_id')
    .execute()

  await db.schema
    .createTable('target_group_account')
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('target_group.id').onDelete('cascade'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('target_group_account_pkey', ['group_id', 'account_id'])
    .execute()
  await db.schema
    .createIndex('target_group_account_account_idx')
    .on('target_group_account')
    .column('account_id')
    .execute()

  await db.schema
    .createTable('target_group_contact')
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('target_group.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id').onDelete('cascade'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('target_group_contact_pkey', ['group_id', 'contact_id'])
    .execute()
  await db.schema
    .createIndex('target_group_contact_contact_idx')
    .on('target_group_contact')
    .column('contact_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'target_group_contact',
    'target_group_account',
    'target_group',
    'contact',
    'account_alias',
    'account',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}

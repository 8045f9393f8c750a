import { type Kysely, sql } from 'kysely'

/**
 * What the account/contact lists, statuses, duplicates, segments and dynamic groups need on top
 * of the core targeting tables: status history, saved segments, a segment behind a dynamic group,
 * the canonical email for duplicates, and the indexes that keep lists of a million rows fast.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Trigram indexes make "contains" search on a million rows an index scan.
  await sql`create extension if not exists pg_trgm`.execute(db)

  await db.schema
    .createTable('contact_status_change')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('contact_status_change_contact_idx')
    .on('contact_status_change')
    .columns(['contact_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('segment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('account', 'contact')`))
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('segment_workspace_idx').on('segment').column('workspace_id').execute()

  // A dynamic group is defined by a segment; a segment in use cannot be deleted.
  await db.schema
    .alterTable('target_group')
    .addColumn('segment_id', 'uuid', (c) => c.references('segment.id').onDelete('restrict'))
    .execute()
  await db.schema.createIndex('target_group_segment_idx').on('target_group').column('segment_id').execute()

  // Duplicates share a canonical email: lower-case (emails are stored so), `+tags` dropped, and for
  // Gmail dots dropped and googlemail = gmail. Generated, so every writer (API, import) gets it;
  // it mirrors canonicalEmail() in shared/src/emails.ts.
  await sql`alter table contact add column canonical_email text not null generated always as (
    case when split_part(email, '@', 2) in ('gmail.com', 'googlemail.com')
      then replace(regexp_replace(split_part(email, '@', 1), '^([^+]+)[+].*$', '\\1'), '.', '') || '@gmail.com'
      else regexp_replace(split_part(email, '@', 1), '^([^+]+)[+].*$', '\\1') || '@' || split_part(email, '@', 2)
    end
  ) stored`.execute(db)

  const live = sql.ref('deleted_at')
  // Keyset pagination per sort order, live rows only.
  for (const [table, name, columns] of [
    ['account', 'account_created_idx', ['workspace_id', 'created_at', 'id']],
    ['account', 'account_updated_idx', ['workspace_id', 'updated_at', 'id']],
    ['account', 'account_name_idx', ['workspace_id', 'name', 'id']],
    ['contact', 'contact_created_idx', ['workspace_id', 'created_at', 'id']],
    ['contact', 'contact_updated_idx', ['workspace_id', 'updated_at', 'id']],
    ['contact', 'contact_name_idx', ['workspace_id', 'last_name', 'first_name', 'id']],
    ['contact', 'contact_canonical_email_idx', ['workspace_id', 'canonical_email']],
    ['contact', 'contact_phone_idx', ['workspace_id', 'phone']],
    ['contact', 'contact_status_idx', ['workspace_id', 'status', 'created_at', 'id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on(table)
      .columns([...columns])
      .where(live, 'is', null)
      .execute()
  }
  // The Deleted list, sorted by deletion date.
  for (const table of ['account', 'contact']) {
    await db.schema
      .createIndex(`${table}_deleted_idx`)
      .on(table)
      .columns(['workspace_id', 'deleted_at', 'id'])
      .where(live, 'is not', null)
      .execute()
  }
  await sql`create index contact_labels_idx on contact using gin (labels) where deleted_at is null`.execute(
    db,
  )
  // Search text: the expressions must stay identical to the ones in the queries.
  await sql`create index contact_search_idx on contact using gin (
    (email || ' ' || first_name || ' ' || last_name || ' ' || coalesce(company, '') || ' ' || coalesce(phone, '')) gin_trgm_ops
  )`.execute(db)
  await sql`create index account_search_idx on account using gin (
    (domain || ' ' || name || ' ' || coalesce(website, '')) gin_trgm_ops
  )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists contact_search_idx`.execute(db)
  await sql`drop index if exists account_search_idx`.execute(db)
  await db.schema.alterTable('contact').dropColumn('canonical_email').execute()
  await db.schema.alterTable('target_group').dropColumn('segment_id').execute()
  await db.schema.dropTable('segment').execute()
  await db.schema.dropTable('contact_status_change').execute()
}

import { type Kysely, sql } from 'kysely'

/**
 * Unique accounts and contacts without reading one row per (contact, bucket): per bucket, the set
 * of the accounts or contacts an aggregate reached, as exact bitmaps of small per-workspace
 * ordinals. A range's count is `bit_count` of the `bit_or` of its buckets' sets. Target groups
 * get rollups of their own, kept for the members they were built for.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A dense number per account or contact that ever appeared in an event, per workspace, handed
  // out by the rollup writers (which hold one lock), so sets stay small bitmaps.
  await db.schema
    .createTable('stats_ordinal')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('account', 'contact')`))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_ordinal_pkey', ['workspace_id', 'kind', 'id'])
    .addUniqueConstraint('stats_ordinal_ord_key', ['workspace_id', 'kind', 'ord'])
    .execute()

  // One row per (aggregate, target kind, grain, bucket, flag, chunk of 8,192 ordinals): the
  // ordinals (modulo 8,192) reached — any event —, clicked, or clicked by a human. A chunk holds
  // either a sorted array of a few of them (stats/reach-queries.ts: 64) or a bitmap of 1 kB. Aggregates: the
  // workspace, a campaign, an employee, a target group (the other kind of target: the contacts
  // of an account group's deliveries). Grains as in stats_rollup: UTC hour, day, month.
  await db.schema
    .createTable('stats_reach')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('dim', 'text', (c) =>
      c.notNull().check(sql`dim in ('workspace', 'campaign', 'employee', 'target_group')`),
    )
    .addColumn('dim_id', 'uuid', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull().check(sql`target in ('account', 'contact')`))
    .addColumn('flag', 'text', (c) => c.notNull().check(sql`flag in ('reached', 'clicked', 'clicked_human')`))
    .addColumn('grain', 'text', (c) => c.notNull().check(sql`grain in ('h', 'd', 'm')`))
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('chunk', 'integer', (c) => c.notNull())
    .addColumn('bits', sql`bit(8192)`)
    .addColumn('ords', sql`smallint[]`)
    .addCheckConstraint('stats_reach_one_form', sql`(bits is null) <> (ords is null)`)
    .addPrimaryKeyConstraint('stats_reach_pkey', [
      'workspace_id',
      'dim',
      'dim_id',
      'target',
      'grain',
      'bucket',
      'flag',
      'chunk',
    ])
    .execute()
  await sql`create function signet_bits(ords smallint[]) returns bit(8192) language sql immutable parallel safe as $$
      select coalesce(bit_or(B'1'::bit(8192) >> o), B'0'::bit(8192)) from unnest(ords) o
    $$`.execute(db)
  await sql`create function signet_ords_union(a smallint[], b smallint[]) returns smallint[] language sql immutable parallel safe as $$
      select array(select distinct x from unnest(a || b) x order by x)
    $$`.execute(db)

  // The members a target group's rollups were built for; a read compares them with the live
  // members and brings the group's rollups up to date (see stats/group-queries.ts).
  await db.schema
    .createTable('stats_group_member')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspace.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('account', 'contact')`))
    .addColumn('member_id', 'uuid', (c) => c.notNull())
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('target_group.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('stats_group_member_pkey', ['workspace_id', 'kind', 'member_id', 'group_id'])
    .execute()
  await db.schema
    .createIndex('stats_group_member_group_idx')
    .on('stats_group_member')
    .columns(['group_id', 'member_id'])
    .execute()
  await sql`alter table stats_rollup drop constraint stats_rollup_dim_check`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_dim_check
    check (dim in ('workspace', 'campaign', 'variant', 'employee', 'account', 'contact', 'target_group'))`.execute(
    db,
  )

  // Count every event again so the new sets cover the history: the job works through the queue.
  await sql`truncate stats_rollup, stats_lead`.execute(db)
  await sql`insert into stats_queue (event_id) select id from tracking_event on conflict do nothing`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from stats_rollup where dim = 'target_group'`.execute(db)
  await sql`alter table stats_rollup drop constraint stats_rollup_dim_check`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_dim_check
    check (dim in ('workspace', 'campaign', 'variant', 'employee', 'account', 'contact'))`.execute(db)
  await db.schema.dropTable('stats_group_member').execute()
  await sql`drop function signet_ords_union(smallint[], smallint[])`.execute(db)
  await sql`drop function signet_bits(smallint[])`.execute(db)
  await db.schema.dropTable('stats_reach').execute()
  await db.schema.dropTable('stats_ordinal').execute()
}

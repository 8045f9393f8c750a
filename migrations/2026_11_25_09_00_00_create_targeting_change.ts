import { type Kysely, sql } from 'kysely'

/**
 * A log of what changed in the targeting tables, so every API process can keep its in-memory
 * targeting index current by reading just the changes (resolve then needs no query per
 * recipient). Statement-level triggers write one row per changed contact or account — or, when
 * a statement touches more than 5,000 rows (an import), one `reload` row for the workspace —
 * and one `group` row when groups or segments change. Rows are pruned after a day; a process
 * that has not looked for an hour drops its index and rebuilds it when next needed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // No foreign key: rows are written while a workspace's targets are deleted with it.
  await db.schema
    .createTable('targeting_change')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('contact', 'account', 'group', 'reload')`),
    )
    .addColumn('target_id', 'uuid')
    // The writing transaction: readers ask which changes their last snapshot could not see, which
    // stays right when transactions commit in another order than they started.
    .addColumn('xid', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('targeting_change_workspace_xid_idx')
    .on('targeting_change')
    .columns(['workspace_id', 'xid'])
    .execute()
  await sql`create index targeting_change_created_brin on targeting_change using brin (created_at)`.execute(
    db,
  )

  // `changed` is the transition table: the new rows of an insert or update, the old rows of a
  // delete. Memberships carry no workspace, so it comes from their group.
  await sql`
    create function signet_note_targeting_change() returns trigger language plpgsql as $$
    declare
      n bigint;
    begin
      select count(*) into n from changed;
      if n = 0 then return null; end if;
      if TG_TABLE_NAME in ('target_group', 'segment') then
        insert into targeting_change (workspace_id, kind)
          select distinct workspace_id, 'group' from changed;
      elsif n > 5000 then
        if TG_TABLE_NAME in ('target_group_contact', 'target_group_account') then
          insert into targeting_change (workspace_id, kind)
            select distinct g.workspace_id, 'reload'
              from (select distinct group_id from changed) m join target_group g on g.id = m.group_id;
        else
          insert into targeting_change (workspace_id, kind) select distinct workspace_id, 'reload' from changed;
        end if;
      elsif TG_TABLE_NAME = 'contact' then
        insert into targeting_change (workspace_id, kind, target_id)
          select workspace_id, 'contact', id from changed;
      elsif TG_TABLE_NAME = 'account' then
        insert into targeting_change (workspace_id, kind, target_id)
          select workspace_id, 'account', id from changed;
      elsif TG_TABLE_NAME = 'account_alias' then
        insert into targeting_change (workspace_id, kind, target_id)
          select distinct workspace_id, 'account', account_id from changed;
      elsif TG_TABLE_NAME = 'target_group_contact' then
        insert into targeting_change (workspace_id, kind, target_id)
          select distinct g.workspace_id, 'contact', m.contact_id
            from changed m join target_group g on g.id = m.group_id;
      elsif TG_TABLE_NAME = 'target_group_account' then
        insert into targeting_change (workspace_id, kind, target_id)
          select distinct g.workspace_id, 'account', m.account_id
            from changed m join target_group g on g.id = m.group_id;
      end if;
      return null;
    end
    $$`.execute(db)

  for (const table of tables) {
    for (const [event, transition] of events) {
      await sql`
        create trigger ${sql.id(`${table}_note_${event.toLowerCase()}`)}
        after ${sql.raw(event)} on ${sql.table(table)}
        referencing ${sql.raw(transition)} table as changed
        for each statement execute function signet_note_targeting_change()`.execute(db)
    }
  }
}

const tables = [
  'contact',
  'account',
  'account_alias',
  'target_group_contact',
  'target_group_account',
  'target_group',
  'segment',
]
const events = [
  ['INSERT', 'new'],
  ['UPDATE', 'new'],
  ['DELETE', 'old'],
] as const

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of tables) {
    for (const [event] of events) {
      await sql`drop trigger ${sql.id(`${table}_note_${event.toLowerCase()}`)} on ${sql.table(table)}`.execute(
        db,
      )
    }
  }
  await sql`drop function signet_note_targeting_change()`.execute(db)
  await db.schema.dropTable('targeting_change').execute()
}

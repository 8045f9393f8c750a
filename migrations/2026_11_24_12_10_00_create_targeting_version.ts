import { type Kysely, sql } from 'kysely'

/**
 * A per-workspace counter that triggers bump whenever campaigns, their variants or audiences
 * change, by any API process or by hand. Resolve keeps campaigns in memory and reloads them
 * when the counter it reads with the workspace settings has moved, so every process behind a
 * load balancer serves a change from its next request. The trigger also sends
 * `NOTIFY signet_targeting, '<workspace id>'` for processes that prefer to listen.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('targeting_version')
    .addColumn('workspace_id', 'uuid', (c) => c.primaryKey().references('workspace.id').onDelete('cascade'))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()

  await sql`
    create function signet_bump_targeting() returns trigger language plpgsql as $$
    declare
      ws uuid;
      rec record;
    begin
      if TG_OP = 'DELETE' then rec := OLD; else rec := NEW; end if;
      if TG_TABLE_NAME in ('campaign', 'campaign_variant') then
        ws := rec.workspace_id;
      else
        select c.workspace_id into ws from campaign c where c.id = rec.campaign_id;
      end if;
      if ws is not null then
        insert into targeting_version as v (workspace_id, version) values (ws, 1)
          on conflict (workspace_id) do update set version = v.version + 1;
        perform pg_notify('signet_targeting', ws::text);
      end if;
      return null;
    end
    $$`.execute(db)

  for (const table of ['campaign', 'campaign_variant', 'campaign_target_group', 'campaign_department']) {
    await sql`
      create trigger ${sql.id(`${table}_bump_targeting`)}
      after insert or update or delete on ${sql.table(table)}
      for each row execute function signet_bump_targeting()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['campaign', 'campaign_variant', 'campaign_target_group', 'campaign_department']) {
    await sql`drop trigger ${sql.id(`${table}_bump_targeting`)} on ${sql.table(table)}`.execute(db)
  }
  await sql`drop function signet_bump_targeting()`.execute(db)
  await db.schema.dropTable('targeting_version').execute()
}

import { type Kysely, sql } from 'kysely'

/**
 * Notifications that let every API process keep what resolve and sign-in read in memory:
 *
 * - `signet_context`, payload the workspace id: its settings, a user (profile, role, disabled),
 *   a department, a signature template or a token's revocation changed;
 * - `signet_targets`, payload the workspace id: a row was added to the targeting change log
 *   (contacts, accounts, memberships, groups — see create_targeting_change);
 * - `signet_targeting` (campaigns) is sent by the trigger of create_targeting_version.
 *
 * PostgreSQL folds identical notifications of one transaction into one and delivers them after
 * the commit; the committing session, when it listens too, gets them before its COMMIT returns.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function signet_notify_context() returns trigger language plpgsql as $$
    declare
      rec record;
    begin
      if TG_OP = 'DELETE' then rec := OLD; else rec := NEW; end if;
      if TG_TABLE_NAME = 'workspace' then
        perform pg_notify('signet_context', rec.id::text);
      else
        perform pg_notify('signet_context', rec.workspace_id::text);
      end if;
      return null;
    end
    $$`.execute(db)

  for (const [table, events] of contextTables) {
    await sql`
      create trigger ${sql.id(`${table}_notify_context`)}
      after ${sql.raw(events)} on ${sql.table(table)}
      for each row execute function signet_notify_context()`.execute(db)
  }

  await sql`
    create function signet_notify_targets() returns trigger language plpgsql as $$
    begin
      perform pg_notify('signet_targets', w.workspace_id::text)
         from (select distinct workspace_id from added) w;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger targeting_change_notify after insert on targeting_change
    referencing new table as added
    for each statement execute function signet_notify_targets()`.execute(db)
}

// Token use (`last_used_at`) is written once a minute per token and changes nothing cached.
const contextTables = [
  ['workspace', 'update or delete'],
  ['app_user', 'insert or update or delete'],
  ['department', 'update or delete'],
  ['signature_template', 'insert or update or delete'],
  ['api_token', 'update of revoked_at, expires_at or delete'],
] as const

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger targeting_change_notify on targeting_change`.execute(db)
  await sql`drop function signet_notify_targets()`.execute(db)
  for (const [table] of contextTables) {
    await sql`drop trigger ${sql.id(`${table}_notify_context`)} on ${sql.table(table)}`.execute(db)
  }
  await sql`drop function signet_notify_context()`.execute(db)
}

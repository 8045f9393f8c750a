import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'

/** What statistics are about, and the names their tables show. */

const tables = {
  campaign: 'campaign',
  variant: 'campaign_variant',
  account: 'account',
  contact: 'contact',
  employee: 'app_user',
  target_group: 'target_group',
} as const

/** Whether the id names a row of this workspace (deleted targets and campaigns keep statistics). */
export async function subjectExists(
  db: Db,
  workspaceId: WorkspaceId,
  scope: keyof typeof tables,
  id: string,
) {
  const row = await db
    .selectFrom(tables[scope])
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as never)
    .executeTakeFirst()
  return row !== undefined
}

/** The ids of a target group's live members, as a subquery. */
export function memberIds(
  workspaceId: WorkspaceId,
  kind: 'account' | 'contact',
  filter: RawBuilder<boolean>,
) {
  return sql`select ${sql.ref(`${kind}.id`)} from ${sql.table(kind)}
    where ${sql.ref(`${kind}.workspace_id`)} = ${workspaceId} and ${sql.ref(`${kind}.deleted_at`)} is null and ${filter}`
}

export function findTrackingTier(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('workspace')
    .select('tracking_tier')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
}

/** Display names by id; an id without a row (an erased account) gets none. */
export async function findNames(
  db: Db,
  workspaceId: WorkspaceId,
  key: 'account' | 'contact' | 'campaign' | 'variant' | 'employee',
  ids: string[],
): Promise<Map<string, string>> {
  if (!ids.length) return new Map()
  const name =
    key === 'variant'
      ? sql<string>`(select c.name from campaign c where c.id = t.campaign_id) || ' · ' || t.name`
      : key === 'account'
        ? sql<string>`case when t.name = '' then t.domain else t.name || ' (' || t.domain || ')' end`
        : key === 'contact'
          ? sql<string>`trim(t.first_name || ' ' || t.last_name || ' <' || t.email || '>')`
          : key === 'employee'
            ? sql<string>`case when trim(t.first_name || ' ' || t.last_name) = '' then t.email else trim(t.first_name || ' ' || t.last_name) end`
            : sql<string>`t.name`
  const table = key === 'employee' ? 'app_user' : key === 'variant' ? 'campaign_variant' : key
  const { rows } = await sql<{ id: string; name: string }>`
    select t.id, ${name} as name from ${sql.table(table)} t
    where t.workspace_id = ${workspaceId} and t.id = any(${ids}::uuid[])`.execute(db)
  return new Map(rows.map((r) => [r.id, r.name]))
}

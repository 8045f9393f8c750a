import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { NIL } from './queries.ts'
import { addToSets, assignOrdinals } from './reach-queries.ts'
import { countedEvents, SUMS } from './rollup-queries.ts'

/**
 * A target group's own rollups (dim `target_group`: its members' rows summed, an event once per
 * member it reached) and reach sets, kept for the members in `stats_group_member`. The job adds
 * new events of those members; a read compares them with the live members first. Callers hold
 * the rollup lock for the writes.
 */

const members = (ids: RawBuilder<unknown>) => sql`select m.id from (${ids}) as m(id)`

/** How many live members the group has, how many its rollups lack, and how many they count that left. */
export async function findGroupDrift(
  db: Db,
  workspaceId: WorkspaceId,
  groupId: string,
  memberIds: RawBuilder<unknown>,
) {
  const { rows } = await sql<{ joined: number; left: number; live: number }>`
    with live as materialized (${members(memberIds)})
    select (select count(*) from live)::int as live,
      (select count(*) from live where not exists (select 1 from stats_group_member g
        where g.workspace_id = ${workspaceId} and g.group_id = ${groupId}::uuid and g.member_id = live.id))::int as joined,
      (select count(*) from stats_group_member g where g.workspace_id = ${workspaceId} and g.group_id = ${groupId}::uuid
        and not exists (select 1 from live where live.id = g.member_id))::int as left`.execute(db)
  return rows[0]!
}

/** Forgets a group's rollups and sets; the next read builds them anew. */
export async function deleteGroupRollups(trx: Db, workspaceId: WorkspaceId, groupIds: string[]) {
  if (!groupIds.length) return
  const ids = sql`${groupIds}::uuid[]`
  await sql`delete from stats_group_member where group_id = any(${ids})`.execute(trx)
  await sql`delete from stats_rollup where workspace_id = ${workspaceId} and dim = 'target_group'
    and dim_id = any(${ids})`.execute(trx)
  await sql`delete from stats_reach where workspace_id = ${workspaceId} and dim = 'target_group'
    and dim_id = any(${ids})`.execute(trx)
}

/** The groups whose rollups count this account or contact. */
export async function findGroupsCounting(
  trx: Db,
  workspaceId: WorkspaceId,
  kind: 'account' | 'contact',
  id: string,
) {
  const { rows } = await sql<{ group_id: string }>`select group_id from stats_group_member
    where workspace_id = ${workspaceId} and kind = ${kind} and member_id = ${id}::uuid`.execute(trx)
  return rows.map((r) => r.group_id)
}

/**
 * Adds the live members the group's rollups lack: their rollup rows summed into the group's,
 * the other kind of target of their counted events into the group's sets.
 */
export async function addGroupMembers(
  trx: Db,
  workspaceId: WorkspaceId,
  group: { id: string; kind: 'account' | 'contact' },
  memberIds: RawBuilder<unknown>,
) {
  const { rows } = await sql<{ member_id: string }>`
    insert into stats_group_member (workspace_id, kind, member_id, group_id)
    select ${workspaceId}::uuid, ${group.kind}, m.id, ${group.id}::uuid from (${members(memberIds)}) m
    on conflict do nothing
    returning member_id`.execute(trx)
  if (!rows.length) return 0
  const joined = sql`${rows.map((r) => r.member_id)}::uuid[]`
  await sql`insert into stats_rollup as r (workspace_id, dim, dim_id, sub_id, grain, bucket,
      sent, views, views_human, clicks, clicks_human)
    select ${workspaceId}::uuid, 'target_group', ${group.id}::uuid, ${NIL}::uuid, grain, bucket, ${SUMS}
    from stats_rollup
    where workspace_id = ${workspaceId} and dim = ${group.kind} and dim_id = any(${joined}) and sub_id = ${NIL}::uuid
    group by grain, bucket
    order by grain, bucket
    on conflict (workspace_id, dim, dim_id, sub_id, grain, bucket) do update set
      sent = r.sent + excluded.sent, views = r.views + excluded.views,
      views_human = r.views_human + excluded.views_human, clicks = r.clicks + excluded.clicks,
      clicks_human = r.clicks_human + excluded.clicks_human`.execute(trx)
  const deliveries = sql`d.workspace_id = ${workspaceId} and ${sql.ref(`d.${group.kind}_ids`)} && ${joined}`
  await assignOrdinals(trx, deliveries)
  // Sets only grow, so events that also reach an earlier member are simply added again.
  await sql`with ev as (${countedEvents(deliveries)})
    ${addToSets(undefined, { dim: 'target_group', id: group.id })}`.execute(trx)
  return rows.length
}

import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ContactId, TargetGroupId, WorkspaceId } from '../db/schema.ts'

type Channel = 'email' | 'phone'
const keyColumn = { email: 'canonical_email', phone: 'phone' } as const

/** Groups of live contacts sharing a canonical email or a phone number, keyset-paged by key. */
export async function listDuplicateKeys(
  db: Db,
  workspaceId: WorkspaceId,
  channel: Channel,
  limit: number,
  after?: string,
) {
  const column = keyColumn[channel]
  let query = db
    .selectFrom('contact')
    .select([`${column} as key`, sql<number>`count(*)::int`.as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where(column, 'is not', null)
    .groupBy(column)
    .having(sql`count(*)`, '>', 1)
    .orderBy(column)
    .limit(limit + 1)
  if (after) query = query.where(column, '>', after)
  return (await query.execute()) as Array<{ key: string; count: number }>
}

export async function countDuplicateGroups(db: Db, workspaceId: WorkspaceId, channel: Channel) {
  const column = keyColumn[channel]
  const inner = db
    .selectFrom('contact')
    .select(column)
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where(column, 'is not', null)
    .groupBy(column)
    .having(sql`count(*)`, '>', 1)
  const row = await db
    .selectFrom(inner.as('d'))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export function listContactsByKeys(db: Db, workspaceId: WorkspaceId, channel: Channel, keys: string[]) {
  if (keys.length === 0) return Promise.resolve([])
  return db
    .selectFrom('contact')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where(keyColumn[channel], 'in', keys)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function findLiveContactsByIds(db: Db, workspaceId: WorkspaceId, ids: string[]) {
  return db
    .selectFrom('contact')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where('id', 'in', ids as ContactId[])
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** The survivor joins every static group the merged contacts were in. */
export async function copyGroupMemberships(db: Db, from: ContactId[], to: ContactId) {
  const rows = await db
    .selectFrom('target_group_contact')
    .select('group_id')
    .where('contact_id', 'in', from)
    .execute()
  if (rows.length === 0) return
  await db
    .insertInto('target_group_contact')
    .values(
      [...new Set(rows.map((r) => r.group_id))].map((group_id) => ({
        group_id: group_id as TargetGroupId,
        contact_id: to,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** The deliveries that name any of these contacts. */
export async function findDeliveriesNaming(db: Db, workspaceId: WorkspaceId, contactIds: ContactId[]) {
  const { rows } = await sql<{ id: string }>`select id from delivery
    where workspace_id = ${workspaceId} and contact_ids && ${contactIds}::uuid[]`.execute(db)
  return rows.map((r) => r.id)
}

/** Statistics follow the survivor: deliveries that named a merged contact name the survivor instead. */
export async function moveDeliveries(db: Db, workspaceId: WorkspaceId, from: ContactId[], to: ContactId) {
  for (const id of from) {
    await sql`update delivery set contact_ids = array(select distinct unnest(array_replace(contact_ids, ${id}::uuid, ${to}::uuid)))
      where workspace_id = ${workspaceId} and ${id}::uuid = any(contact_ids)`.execute(db)
  }
}

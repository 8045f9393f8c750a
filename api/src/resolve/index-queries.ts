import { suppressedStatuses } from '@signet/shared/contacts'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, ContactStatus, TargetGroupId, WorkspaceId } from '../db/schema.ts'

/**
 * The reads behind the in-memory targeting index (`targeting-index.ts`): whole workspaces page by
 * page when it is built, single targets when the change log names them, and the change log.
 */

/** A contact as the index keeps it (`ContactTarget`), named so already. */
export interface IndexedContactRow {
  id: ContactId
  email: string
  accountId: AccountId | null
  status: ContactStatus
  trackingOptOut: boolean
  consent: boolean
  deleted: boolean
}

export interface IndexedAccountRow {
  id: AccountId
  domain: string
  aliases: string[]
}

export interface IndexedGroupRow {
  id: TargetGroupId
  name: string
  kind: 'account' | 'contact'
  filter: unknown | null
}

/** Runs `read` in one repeatable-read transaction: every statement sees the same snapshot. */
export function inOneSnapshot<T>(db: Db, read: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(read)
}

/** The snapshot a build reads in, so changes committed after it are picked up by the next sync. */
export async function currentSnapshot(db: Db): Promise<string> {
  const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db)
  return rows[0]!.snapshot
}

/**
 * The contacts the index holds: the live ones, and the deleted ones whose opt-out of tracking or
 * suppression status must keep holding for their address (what a person asked for does not end
 * when a marketer deletes the record). A deleted contact is in no group and has no consent.
 */
const indexedContact = sql`(c.deleted_at is null or c.tracking_opt_out_at is not null
  or c.status = any(${[...suppressedStatuses]}::text[]))`
const indexedContactColumns = sql`c.id, c.email, c.account_id as "accountId", c.status,
  c.tracking_opt_out_at is not null as "trackingOptOut",
  c.deleted_at is null and c.consent_given_at is not null as consent,
  c.deleted_at is not null as deleted`

/**
 * A page of a workspace's indexed contacts (`indexedContact`) in id order, each with its static groups: read with
 * their contact, the memberships never have to be collected apart for the whole workspace.
 */
export async function contactsPage(
  db: Db,
  workspaceId: WorkspaceId,
  after: string | null,
  limit: number,
): Promise<(IndexedContactRow & { groups: TargetGroupId[] })[]> {
  const { rows } = await sql<IndexedContactRow & { groups: TargetGroupId[] }>`
    select ${indexedContactColumns},
           array(select m.group_id from target_group_contact m join target_group g on g.id = m.group_id
                  where c.deleted_at is null and m.contact_id = c.id and g.segment_id is null order by m.group_id) as groups
      from contact c
     where c.workspace_id = ${workspaceId} and ${indexedContact} and c.id > ${after ?? '00000000-0000-0000-0000-000000000000'}
     order by c.id
     limit ${limit}`.execute(db)
  return rows
}

export async function accountsPage(
  db: Db,
  workspaceId: WorkspaceId,
  after: string | null,
  limit: number,
): Promise<(IndexedAccountRow & { groups: TargetGroupId[] })[]> {
  const { rows } = await sql<IndexedAccountRow & { groups: TargetGroupId[] }>`
    select a.id, a.domain,
           array(select al.domain from account_alias al where al.account_id = a.id) as aliases,
           array(select m.group_id from target_group_account m join target_group g on g.id = m.group_id
                  where m.account_id = a.id and g.segment_id is null order by m.group_id) as groups
      from account a
     where a.workspace_id = ${workspaceId} and a.deleted_at is null and a.id > ${after ?? '00000000-0000-0000-0000-000000000000'}
     order by a.id
     limit ${limit}`.execute(db)
  return rows
}

export async function groupsOf(db: Db, workspaceId: WorkspaceId): Promise<IndexedGroupRow[]> {
  const { rows } = await sql<IndexedGroupRow>`
    select g.id, g.name, g.kind, s.filter
      from target_group g left join segment s on s.id = g.segment_id
     where g.workspace_id = ${workspaceId}`.execute(db)
  return rows
}

/** The indexed contacts among `ids`, with their static groups; an id not returned is gone. */
export async function contactsByIds(
  db: Db,
  workspaceId: WorkspaceId,
  ids: string[],
): Promise<(IndexedContactRow & { groups: TargetGroupId[] })[]> {
  const { rows } = await sql<IndexedContactRow & { groups: TargetGroupId[] }>`
    select ${indexedContactColumns},
           array(select m.group_id from target_group_contact m join target_group g on g.id = m.group_id
                  where c.deleted_at is null and m.contact_id = c.id and g.segment_id is null) as groups
      from contact c
     where c.workspace_id = ${workspaceId} and ${indexedContact} and c.id = any(${ids}::uuid[])`.execute(db)
  return rows
}

export async function accountsByIds(
  db: Db,
  workspaceId: WorkspaceId,
  ids: string[],
): Promise<(IndexedAccountRow & { groups: TargetGroupId[] })[]> {
  const { rows } = await sql<IndexedAccountRow & { groups: TargetGroupId[] }>`
    select a.id, a.domain,
           array(select al.domain from account_alias al where al.account_id = a.id) as aliases,
           array(select m.group_id from target_group_account m join target_group g on g.id = m.group_id
                  where m.account_id = a.id and g.segment_id is null) as groups
      from account a
     where a.workspace_id = ${workspaceId} and a.deleted_at is null and a.id = any(${ids}::uuid[])`.execute(
    db,
  )
  return rows
}

export interface TargetingChange {
  kind: 'contact' | 'account' | 'group' | 'reload'
  target_id: string | null
}

/**
 * The changes of this workspace committed since `since` was taken (not visible in it), and the
 * snapshot they were read in. Visibility, not sequence order, decides: a long transaction that
 * commits after a later one is still seen.
 */
export async function changesSince(
  db: Db,
  workspaceId: WorkspaceId,
  since: string,
): Promise<{ snapshot: string; changes: TargetingChange[] }> {
  const { rows } = await sql<TargetingChange & { snapshot: string }>`
    select pg_current_snapshot()::text as snapshot, t.kind, t.target_id
      from (select 1) one
      left join targeting_change t
        on t.workspace_id = ${workspaceId}
       and t.xid >= pg_snapshot_xmin(${since}::pg_snapshot)
       and not pg_visible_in_snapshot(t.xid, ${since}::pg_snapshot)`.execute(db)
  return {
    snapshot: rows[0]!.snapshot,
    changes: rows.filter((r) => r.kind !== null).map((r) => ({ kind: r.kind, target_id: r.target_id })),
  }
}

/** Keeps the log short: a process that has not synchronised for this long rebuilds instead. */
export async function pruneTargetingChanges(db: Db): Promise<void> {
  await sql`delete from targeting_change where created_at < now() - interval '1 day'`.execute(db)
}

import type { ContactStatus } from '@signet/shared'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { TargetGroupId, UserId, WorkspaceId } from '../db/schema.ts'

/**
 * The set-based statements of the bulk actions. Ids travel as one `uuid[]` parameter, not as a
 * list of parameters, so a selection of 100,000 rows is one statement (PostgreSQL allows 65,535
 * parameters). Every statement names the workspace, and only live rows change.
 */

export type BulkKind = 'account' | 'contact'

const idsParam = (ids: readonly string[]) => sql`${sql.val(ids)}::uuid[]`
const changed = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0)

/** Which of these ids are live rows of the workspace. */
export async function findLiveIds(db: Db, workspaceId: WorkspaceId, kind: BulkKind, ids: readonly string[]) {
  const result = await sql<{ id: string }>`
    select id from ${sql.table(kind)}
    where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(ids)})`.execute(db)
  return new Set(result.rows.map((r) => r.id))
}

/** Adds the rows to a static group; rows already in it stay as they are. */
export async function insertMembers(db: Db, kind: BulkKind, groupId: TargetGroupId, ids: readonly string[]) {
  const result = await sql`
    insert into ${sql.table(`target_group_${kind}`)} (group_id, ${sql.ref(`${kind}_id`)})
    select ${groupId}::uuid, unnest(${idsParam(ids)})
    on conflict do nothing`.execute(db)
  return changed(result)
}

export async function deleteMembers(db: Db, kind: BulkKind, groupId: TargetGroupId, ids: readonly string[]) {
  const result = await sql`
    delete from ${sql.table(`target_group_${kind}`)}
    where group_id = ${groupId} and ${sql.ref(`${kind}_id`)} = any(${idsParam(ids)})`.execute(db)
  return changed(result)
}

/** Soft-deletes the live rows (restorable from Deleted), with the reason. */
export async function softDeleteMany(
  db: Db,
  workspaceId: WorkspaceId,
  kind: BulkKind,
  ids: readonly string[],
  reason: string,
) {
  const result = await sql`
    update ${sql.table(kind)} set deleted_at = now(), deleted_reason = ${reason}, updated_at = now()
    where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(ids)})`.execute(db)
  return changed(result)
}

/** Contacts of deleted accounts belong to no account until one with their domain exists again. */
export async function unlinkContactsOfAccounts(
  db: Db,
  workspaceId: WorkspaceId,
  accountIds: readonly string[],
) {
  await sql`
    update contact set account_id = null
    where workspace_id = ${workspaceId} and account_id = any(${idsParam(accountIds)})`.execute(db)
}

/** Adds a label to the contacts that lack it and have room for it (at most 100 labels). */
export async function addLabel(db: Db, workspaceId: WorkspaceId, ids: readonly string[], label: string) {
  const result = await sql`
    update contact set labels = array_append(labels, ${label}::text), updated_at = now()
    where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(ids)})
      and not labels @> array[${label}::text] and cardinality(labels) < 100`.execute(db)
  return changed(result)
}

export async function removeLabel(db: Db, workspaceId: WorkspaceId, ids: readonly string[], label: string) {
  const result = await sql`
    update contact set labels = array_remove(labels, ${label}::text), updated_at = now()
    where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(ids)})
      and labels @> array[${label}::text]`.execute(db)
  return changed(result)
}

/** Opts the contacts out of tracking, each with a line in its status history (the status stays). */
export async function optOutMany(
  db: Db,
  workspaceId: WorkspaceId,
  ids: readonly string[],
  change: { reason: string; actorId: UserId },
) {
  // Counted by the statement, as in `changeStatuses`: drivers disagree on a CTE's affected rows.
  const result = await sql<{ n: number }>`
    with opted as (
      update contact set tracking_opt_out_at = now(), updated_at = now()
      where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(ids)})
        and tracking_opt_out_at is null
      returning id, status
    ), recorded as (
      insert into contact_status_change (workspace_id, contact_id, from_status, to_status, reason, actor_id)
      select ${workspaceId}::uuid, id, status, status, ${change.reason}, ${change.actorId}::uuid from opted
      returning 1
    )
    select count(*)::int as n from recorded`.execute(db)
  return result.rows[0]?.n ?? 0
}

/** Records consent for those without a recorded one; a recorded consent keeps its date and method. */
export async function recordConsentMany(
  db: Db,
  workspaceId: WorkspaceId,
  ids: readonly string[],
  consent: { at?: string; method: string },
) {
  const result = await sql`
    update contact set consent_given_at = coalesce(${consent.at ?? null}::timestamptz, now()),
      consent_method = ${consent.method}, updated_at = now()
    where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(ids)})
      and consent_given_at is null`.execute(db)
  return changed(result)
}

/** Withdraws recorded consent: from now on, no per-person history for them in the identified tier. */
export async function withdrawConsentMany(db: Db, workspaceId: WorkspaceId, ids: readonly string[]) {
  const result = await sql`
    update contact set consent_given_at = null, consent_method = null, updated_at = now()
    where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(ids)})
      and consent_given_at is not null`.execute(db)
  return changed(result)
}

/**
 * Moves the contacts whose status is one of `from` to `to`, and records each change in the status
 * history with its old status — one statement: the rows are locked and read (`old`), changed, and
 * the history written from what the update returned, so history and status cannot disagree.
 */
export async function changeStatuses(
  db: Db,
  change: {
    workspaceId: WorkspaceId
    ids: readonly string[]
    from: ContactStatus[]
    to: ContactStatus
    reason: string
    actorId: UserId
  },
) {
  if (change.from.length === 0) return 0
  const { workspaceId } = change
  // The count comes from the statement itself: drivers disagree on the affected rows of a CTE.
  const result = await sql<{ n: number }>`
    with old as (
      select id, status from contact
      where workspace_id = ${workspaceId} and deleted_at is null and id = any(${idsParam(change.ids)})
        and status = any(${sql.val(change.from)}::text[])
      for update
    ), moved as (
      update contact c set status = ${change.to}, updated_at = now()
      from old where c.id = old.id
      returning c.id, old.status as from_status
    ), recorded as (
      insert into contact_status_change (workspace_id, contact_id, from_status, to_status, reason, actor_id)
      select ${workspaceId}::uuid, id, from_status, ${change.to}, ${change.reason}, ${change.actorId}::uuid
      from moved
      returning 1
    )
    select count(*)::int as n from recorded`.execute(db)
  return result.rows[0]?.n ?? 0
}

import {
  BULK_MAX_MATCHING,
  type BulkAccounts,
  type BulkContacts,
  type BulkResult,
  contactStatuses,
  phoneToE164,
} from '@signet/shared'
import { listMatchingAccountIds } from '../accounts/queries.ts'
import { listMatchingContactIds } from '../contacts/queries.ts'
import { optOutReason, statusAfter } from '../contacts/service.ts'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { listFilter } from '../segments/from-query.ts'
import { getTargetGroupOrThrow } from '../target-groups/service.ts'
import { inTransaction } from '../targets/transaction.ts'
import {
  addLabel,
  type BulkKind,
  changeStatuses,
  deleteMembers,
  findLiveIds,
  insertMembers,
  optOutMany,
  recordConsentMany,
  removeLabel,
  softDeleteMany,
  unlinkContactsOfAccounts,
  withdrawConsentMany,
} from './queries.ts'

const names = { account: 'Account', contact: 'Contact' }

/** A filter error of the list query names the field inside `matching`. */
async function inMatching<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ApiError && error.field) {
      throw new ApiError(error.code, error.message, `matching.${error.field}`)
    }
    throw error
  }
}

/**
 * The live rows a selection names. Given ids must all be live rows of this workspace: one that is
 * not — another workspace's, deleted, or made up — refuses the whole request with the 404 an
 * unknown id gets, naming it (`ids.3`), so nothing changes and nothing tells the workspaces apart.
 */
async function selectedIds(
  db: Db,
  workspaceId: WorkspaceId,
  kind: BulkKind,
  selection: { ids?: string[]; matching?: BulkContacts['matching'] },
): Promise<string[]> {
  if (selection.ids) {
    const ids = [...new Set(selection.ids.map((id) => id.toLowerCase()))]
    const live = await findLiveIds(db, workspaceId, kind, ids)
    const missing = selection.ids.findIndex((id) => !live.has(id.toLowerCase()))
    if (missing >= 0) {
      throw new ApiError('not_found', `${names[kind]} not found.`, `ids.${missing}`)
    }
    return ids
  }
  const matching = selection.matching ?? {}
  const filter = await inMatching(() => listFilter(db, workspaceId, kind, matching))
  const ids =
    kind === 'contact'
      ? await listMatchingContactIds(
          db,
          workspaceId,
          matching,
          {
            filter,
            phone: matching.q && /\d{4}/.test(matching.q) ? phoneToE164(matching.q) : undefined,
          },
          BULK_MAX_MATCHING + 1,
        )
      : await listMatchingAccountIds(db, workspaceId, matching.q, filter, BULK_MAX_MATCHING + 1)
  if (ids.length > BULK_MAX_MATCHING) {
    throw new ApiError(
      'validation_failed',
      `This filter matches more than ${BULK_MAX_MATCHING.toLocaleString('en')} ${kind}s; narrow it down and run the action in parts.`,
      'matching',
    )
  }
  return ids
}

/** The static group of this kind to add to or remove from. */
async function staticGroup(db: Db, workspaceId: WorkspaceId, kind: BulkKind, id: string) {
  const group = await getTargetGroupOrThrow(db, workspaceId, id).catch((error) => {
    throw error instanceof ApiError ? new ApiError(error.code, error.message, 'targetGroupId') : error
  })
  if (group.kind !== kind) {
    throw new ApiError(
      'validation_failed',
      `This is a group of ${group.kind}s; choose a group of ${kind}s.`,
      'targetGroupId',
    )
  }
  if (group.segment_id) {
    throw new ApiError(
      'conflict',
      'This group is defined by a segment; change the segment to change its members.',
      'targetGroupId',
    )
  }
  return group
}

async function groupAction(
  db: Db,
  workspaceId: WorkspaceId,
  kind: BulkKind,
  input: { action: 'add-to-group' | 'remove-from-group'; targetGroupId: string },
  ids: string[],
) {
  const group = await staticGroup(db, workspaceId, kind, input.targetGroupId)
  if (ids.length === 0) return 0
  return input.action === 'add-to-group'
    ? insertMembers(db, kind, group.id, ids)
    : deleteMembers(db, kind, group.id, ids)
}

/** The statuses a one-click action moves from, and the one it moves to (the single-contact rules). */
function statusMove(action: Parameters<typeof statusAfter>[0]) {
  const from = contactStatuses.filter((status) => {
    try {
      statusAfter(action, status)
      return true
    } catch {
      return false
    }
  })
  const to = new Set(from.map((status) => statusAfter(action, status)))
  if (to.size > 1) throw new Error(`${action} leads to more than one status`)
  return { from, to: [...to][0] ?? 'active' }
}

export function bulkContacts(
  db: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  input: BulkContacts,
): Promise<BulkResult> {
  return inTransaction(db, async (trx) => {
    const ids = await selectedIds(trx, workspaceId, 'contact', input)
    const result = (changed: number) => ({ matched: ids.length, changed })
    switch (input.action) {
      case 'add-to-group':
      case 'remove-from-group':
        return result(await groupAction(trx, workspaceId, 'contact', input, ids))
      case 'delete':
        return result(await softDeleteMany(trx, workspaceId, 'contact', ids, input.reason))
      case 'add-label':
        return result(await addLabel(trx, workspaceId, ids, input.label))
      case 'remove-label':
        return result(await removeLabel(trx, workspaceId, ids, input.label))
      case 'opt-out':
        return result(
          await optOutMany(trx, workspaceId, ids, { reason: optOutReason(input.reason), actorId }),
        )
      case 'record-consent':
        return result(await recordConsentMany(trx, workspaceId, ids, input))
      case 'withdraw-consent':
        return result(await withdrawConsentMany(trx, workspaceId, ids))
      default: {
        const move = statusMove(input.action)
        const reason = input.reason
        return result(await changeStatuses(trx, { workspaceId, ids, ...move, reason, actorId }))
      }
    }
  })
}

export function bulkAccounts(db: Db, workspaceId: WorkspaceId, input: BulkAccounts): Promise<BulkResult> {
  return inTransaction(db, async (trx) => {
    const ids = await selectedIds(trx, workspaceId, 'account', input)
    if (input.action !== 'delete') {
      return { matched: ids.length, changed: await groupAction(trx, workspaceId, 'account', input, ids) }
    }
    const deleted = await softDeleteMany(trx, workspaceId, 'account', ids, input.reason)
    await unlinkContactsOfAccounts(trx, workspaceId, ids)
    return { matched: ids.length, changed: deleted }
  })
}

import type { ChangeMembers, TargetKind } from '@signet/shared'
import type { RawBuilder } from 'kysely'
import { createAccount } from '../accounts/service.ts'
import { createContact } from '../contacts/service.ts'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { compileFilter } from '../segments/compile.ts'
import { countMatching } from '../segments/queries.ts'
import {
  addAccountMembers,
  addContactMembers,
  countStaticMembers,
  findLiveAccountIds,
  findLiveAccountsByDomains,
  findLiveContactIds,
  findLiveContactsByEmails,
  findTargetGroupById,
  removeAccountMembers,
  removeContactMembers,
} from './queries.ts'

export type TargetGroupRow = NonNullable<Awaited<ReturnType<typeof findTargetGroupById>>>

export async function getTargetGroupOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await findTargetGroupById(db, workspaceId, id)
  if (!row) throw notFound('Target group')
  return row
}

/** Membership of a group as a filter: static rows, or the segment of a dynamic group. */
export function membershipFilter(
  db: Db,
  workspaceId: WorkspaceId,
  group: TargetGroupRow,
): Promise<RawBuilder<boolean>> {
  return compileFilter(db, workspaceId, group.kind, {
    type: 'group',
    combinator: 'and',
    conditions: [{ type: 'target_group', op: 'in', groupId: group.id }],
  })
}

export async function memberCounts(db: Db, workspaceId: WorkspaceId, groups: TargetGroupRow[]) {
  const counts = await countStaticMembers(
    db,
    workspaceId,
    groups.filter((g) => !g.segment_id).map((g) => g.id),
  )
  for (const group of groups.filter((g) => g.segment_id)) {
    counts.set(
      group.id,
      await countMatching(db, workspaceId, group.kind, await membershipFilter(db, workspaceId, group)),
    )
  }
  return counts
}

export function toTargetGroup(row: TargetGroupRow, memberCount: number) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    segmentId: row.segment_id,
    memberCount,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

function refuseWrongChannel(kind: TargetKind, input: ChangeMembers) {
  if (kind === 'account' && input.emails.length > 0) {
    throw new ApiError('validation_failed', 'Add accounts to an account group by id or domain.', 'emails')
  }
  if (kind === 'contact' && input.domains.length > 0) {
    throw new ApiError('validation_failed', 'Add contacts to a contact group by id or email.', 'domains')
  }
}

async function assertIdsExist(db: Db, workspaceId: WorkspaceId, kind: TargetKind, ids: string[]) {
  const found = new Set<string>(
    kind === 'account'
      ? await findLiveAccountIds(db, workspaceId, ids)
      : await findLiveContactIds(db, workspaceId, ids),
  )
  const missing = ids.findIndex((id) => !found.has(id))
  if (missing >= 0) {
    throw new ApiError('validation_failed', `There is no ${kind} with this id.`, `ids.${missing}`)
  }
}

/**
 * The ids a change names: given ids, plus the accounts/contacts of the given domains/emails.
 * With `create`, unknown domains and emails become new accounts/contacts.
 */
async function resolveTargets(
  db: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  kind: TargetKind,
  input: ChangeMembers,
  create: boolean,
) {
  refuseWrongChannel(kind, input)
  await assertIdsExist(db, workspaceId, kind, input.ids)
  const ids = new Set<string>(input.ids)
  let created = 0
  if (kind === 'account') {
    const found = await findLiveAccountsByDomains(db, workspaceId, input.domains)
    const byDomain = new Map<string, string>()
    for (const row of found) {
      byDomain.set(row.domain, row.id)
      if (row.alias) byDomain.set(row.alias, row.id)
    }
    for (const domain of new Set(input.domains)) {
      let id = byDomain.get(domain)
      if (!id && create) {
        id = (await createAccount(db, workspaceId, emptyAccount(domain))).id
        created++
      }
      if (id) ids.add(id)
    }
  } else {
    const emails = input.emails.map((e) => e.email)
    const found = new Map(
      (await findLiveContactsByEmails(db, workspaceId, emails)).map((r) => [r.email, r.id]),
    )
    const seen = new Set<string>()
    for (const parsed of input.emails) {
      if (seen.has(parsed.email)) continue
      seen.add(parsed.email)
      let id: string | undefined = found.get(parsed.email)
      if (!id && create) {
        id = (await createContact(db, workspaceId, actorId, emptyContact(parsed))).id
        created++
      }
      if (id) ids.add(id)
    }
  }
  return { ids: [...ids], created }
}

function emptyAccount(domain: string) {
  return {
    domain,
    name: '',
    size: null,
    industry: null,
    contactPerson: null,
    website: null,
    notes: null,
    customFields: {},
    aliases: [],
  }
}

function emptyContact(email: ChangeMembers['emails'][number]) {
  return {
    email,
    labels: [],
    customFields: {},
    trackingOptOut: false,
    source: 'manual' as const,
    status: 'active' as const,
  }
}

function refuseDynamic(group: TargetGroupRow) {
  if (group.segment_id) {
    throw new ApiError(
      'conflict',
      'This group is defined by a segment; change the segment to change its members.',
      'id',
    )
  }
}

export function addMembers(
  db: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  group: TargetGroupRow,
  input: ChangeMembers,
) {
  refuseDynamic(group)
  return db.transaction().execute(async (trx) => {
    const { ids, created } = await resolveTargets(trx, workspaceId, actorId, group.kind, input, true)
    const changed =
      group.kind === 'account'
        ? await addAccountMembers(trx, group.id, ids as AccountId[])
        : await addContactMembers(trx, group.id, ids as ContactId[])
    const count = (await countStaticMembers(trx, workspaceId, [group.id])).get(group.id) ?? 0
    return { changed, created, memberCount: count }
  })
}

export function removeMembers(
  db: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  group: TargetGroupRow,
  input: ChangeMembers,
) {
  refuseDynamic(group)
  return db.transaction().execute(async (trx) => {
    const { ids } = await resolveTargets(trx, workspaceId, actorId, group.kind, input, false)
    const changed =
      group.kind === 'account'
        ? await removeAccountMembers(trx, group.id, ids as AccountId[])
        : await removeContactMembers(trx, group.id, ids as ContactId[])
    const count = (await countStaticMembers(trx, workspaceId, [group.id])).get(group.id) ?? 0
    return { changed, created: 0, memberCount: count }
  })
}

import { type CreateAccount, displayDomain, type UpdateAccount } from '@signet/shared'
import type { Db } from '../db/index.ts'
import type { AccountId, AccountRow, WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { inTransaction } from '../targets/transaction.ts'
import { toAccount } from './dto.ts'
import {
  deleteAlias,
  findAccountById,
  findDomainOwners,
  insertAccount,
  insertAliases,
  linkContactsOfDomains,
  listAliasesOf,
  releaseAliasesOfDeletedAccounts,
  softDeleteAccount,
  unlinkContacts,
  updateAccount,
} from './queries.ts'

export async function getAccountOrThrow(db: Db, workspaceId: WorkspaceId, id: string, deleted = false) {
  const row = await findAccountById(db, workspaceId, id)
  if (!row || (row.deleted_at !== null) !== deleted) throw notFound(deleted ? 'Deleted account' : 'Account')
  return row
}

export async function withAliases(db: Db, workspaceId: WorkspaceId, rows: AccountRow[]) {
  const aliases = await listAliasesOf(
    db,
    workspaceId,
    rows.map((r) => r.id),
  )
  return rows.map((row) =>
    toAccount(
      row,
      aliases.filter((a) => a.account_id === row.id).map((a) => a.domain),
    ),
  )
}

/** Refuses a domain that already belongs to another live account, as its domain or alias. */
async function assertDomainsFree(
  db: Db,
  workspaceId: WorkspaceId,
  domains: string[],
  field: string,
  exceptId?: AccountId,
) {
  const unique = new Set(domains)
  if (unique.size !== domains.length) {
    throw new ApiError('validation_failed', 'The same domain is given twice.', field)
  }
  const owners = await findDomainOwners(db, workspaceId, domains, exceptId)
  const taken = owners.map((o) => (domains.includes(o.domain) ? o.domain : o.alias)).find(Boolean)
  if (taken) {
    throw new ApiError('conflict', `${displayDomain(taken)} already belongs to another account.`, field)
  }
  await releaseAliasesOfDeletedAccounts(db, workspaceId, domains, exceptId)
}

export function createAccount(db: Db, workspaceId: WorkspaceId, input: CreateAccount) {
  return inTransaction(db, async (trx) => {
    await assertDomainsFree(trx, workspaceId, [input.domain, ...input.aliases], 'domain')
    const row = await insertAccount(trx, {
      workspace_id: workspaceId,
      domain: input.domain,
      name: input.name,
      size: input.size,
      industry: input.industry,
      contact_person: input.contactPerson,
      website: input.website,
      notes: input.notes,
      custom_fields: JSON.stringify(input.customFields) as never,
    })
    await insertAliases(trx, workspaceId, row.id, input.aliases)
    await linkContactsOfDomains(trx, workspaceId, row.id, [input.domain, ...input.aliases])
    return toAccount(row, input.aliases)
  })
}

export function changeAccount(db: Db, workspaceId: WorkspaceId, account: AccountRow, input: UpdateAccount) {
  return inTransaction(db, async (trx) => {
    if (input.domain && input.domain !== account.domain) {
      await assertDomainsFree(trx, workspaceId, [input.domain], 'domain', account.id)
      await unlinkContacts(trx, workspaceId, account.id, [account.domain])
    }
    const customFields = input.customFields
      ? Object.fromEntries(
          Object.entries({ ...account.custom_fields, ...input.customFields }).filter(([, v]) => v !== null),
        )
      : undefined
    const row = await updateAccount(trx, workspaceId, account.id, {
      domain: input.domain,
      name: input.name,
      size: input.size,
      industry: input.industry,
      contact_person: input.contactPerson,
      website: input.website,
      notes: input.notes,
      custom_fields: customFields ? (JSON.stringify(customFields) as never) : undefined,
    })
    if (input.domain) await linkContactsOfDomains(trx, workspaceId, account.id, [input.domain])
    return (await withAliases(trx, workspaceId, [row]))[0]!
  })
}

export async function addAlias(db: Db, workspaceId: WorkspaceId, account: AccountRow, domain: string) {
  return inTransaction(db, async (trx) => {
    if (domain === account.domain) {
      throw new ApiError('conflict', 'This is already the account’s main domain.', 'domain')
    }
    await assertDomainsFree(trx, workspaceId, [domain], 'domain')
    await insertAliases(trx, workspaceId, account.id, [domain])
    await linkContactsOfDomains(trx, workspaceId, account.id, [domain])
    return (await withAliases(trx, workspaceId, [account]))[0]!
  })
}

export async function removeAlias(db: Db, workspaceId: WorkspaceId, account: AccountRow, domain: string) {
  return inTransaction(db, async (trx) => {
    const result = await deleteAlias(trx, workspaceId, account.id, domain)
    if (result.numDeletedRows === 0n) throw notFound('Alias')
    await unlinkContacts(trx, workspaceId, account.id, [domain])
    return (await withAliases(trx, workspaceId, [account]))[0]!
  })
}

export function deleteAccount(db: Db, workspaceId: WorkspaceId, account: AccountRow, reason: string) {
  return inTransaction(db, async (trx) => {
    await softDeleteAccount(trx, workspaceId, account.id, reason)
    await unlinkContacts(trx, workspaceId, account.id)
  })
}

export function restoreAccount(db: Db, workspaceId: WorkspaceId, account: AccountRow) {
  return inTransaction(db, async (trx) => {
    const aliases = (await listAliasesOf(trx, workspaceId, [account.id])).map((a) => a.domain)
    await assertDomainsFree(trx, workspaceId, [account.domain, ...aliases], 'id', account.id)
    const row = await updateAccount(trx, workspaceId, account.id, { deleted_at: null, deleted_reason: null })
    await linkContactsOfDomains(trx, workspaceId, account.id, [account.domain, ...aliases])
    return toAccount(row, aliases)
  })
}

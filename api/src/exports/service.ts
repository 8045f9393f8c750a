import type { ExportAccountsQuery, ExportContactsQuery, ExportDeletedQuery } from '@signet/shared'
import type { Context } from 'hono'
import { accountBatches, accountCustomFieldKeys, listAliasesOf } from '../accounts/queries.ts'
import {
  type ContactFilter,
  type ContactListOptions,
  contactBatches,
  contactCustomFieldKeys,
} from '../contacts/queries.ts'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { listContactsByKeys, listDuplicateKeys } from '../duplicates/queries.ts'
import { accountColumns, contactColumns } from './columns.ts'
import { csvStream } from './csv.ts'

/** A file to stream: its header, then its rows as the database hands them out, batch by batch. */
export interface CsvExport {
  header: string[]
  rows: AsyncIterable<unknown[]>
}

type ListOf<Q> = Omit<Q, 'filter' | 'segmentId'>

export async function exportContacts(
  db: Db,
  workspaceId: WorkspaceId,
  list: ListOf<ExportContactsQuery> | ListOf<ExportDeletedQuery>,
  options: ContactListOptions = {},
): Promise<CsvExport> {
  const columns = contactColumns(
    await contactCustomFieldKeys(db, workspaceId, list, options),
    options.deleted,
  )
  async function* rows() {
    for await (const batch of contactBatches(db, workspaceId, list, options)) {
      for (const row of batch) yield columns.cells(row)
    }
  }
  return { header: columns.header, rows: rows() }
}

export async function exportAccounts(
  db: Db,
  workspaceId: WorkspaceId,
  list: ListOf<ExportAccountsQuery> | ListOf<ExportDeletedQuery>,
  options: { deleted?: boolean; filter?: ContactFilter } = {},
): Promise<CsvExport> {
  const columns = accountColumns(
    await accountCustomFieldKeys(db, workspaceId, list.q, options),
    options.deleted,
  )
  async function* rows() {
    for await (const batch of accountBatches(db, workspaceId, list, options)) {
      const aliases = await listAliasesOf(
        db,
        workspaceId,
        batch.map((r) => r.id),
      )
      for (const row of batch) {
        const own = aliases.filter((a) => a.account_id === row.id).map((a) => a.domain)
        yield columns.cells({ ...row, aliases: own })
      }
    }
  }
  return { header: columns.header, rows: rows() }
}

/** Contacts sharing a canonical email or a phone number, group after group, keyed like the list. */
export async function exportDuplicates(
  db: Db,
  workspaceId: WorkspaceId,
  channel: 'email' | 'phone',
): Promise<CsvExport> {
  const columns = contactColumns([])
  const KEYS = 500
  async function* rows() {
    let after: string | undefined
    for (;;) {
      const keys = await listDuplicateKeys(db, workspaceId, channel, KEYS, after)
      const page = keys.slice(0, KEYS)
      const members = await listContactsByKeys(
        db,
        workspaceId,
        channel,
        page.map((k) => k.key),
      )
      const byKey = new Map<string | null, typeof members>()
      for (const m of members) {
        const key = channel === 'email' ? m.canonical_email : m.phone
        byKey.set(key, [...(byKey.get(key) ?? []), m])
      }
      for (const k of page) {
        for (const m of byKey.get(k.key) ?? []) yield [channel, k.key, k.count, ...columns.cells(m)]
      }
      if (keys.length <= KEYS) return
      after = page.at(-1)!.key
    }
  }
  return { header: ['channel', 'key', 'count', ...columns.header], rows: rows() }
}

/** The export as a download; the body streams, so memory stays flat whatever its size. */
export function csvDownload(c: Context, fileName: string, file: CsvExport) {
  return c.body(csvStream(file.header, file.rows), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
  })
}

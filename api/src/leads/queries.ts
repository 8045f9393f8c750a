import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'

export interface LeadRow {
  value: string
  clicks: number
  clicks_human: number
  first_click_at: Date
  last_click_at: Date
  campaigns: { id: string; name: string }[]
}

/**
 * Leads of one kind, latest click first, keyset-paged. A lead whose domain or email is managed
 * by now (a live account, alias or contact) is not listed; nor are free-mail domains.
 */
export async function listLeads(
  db: Db,
  workspaceId: WorkspaceId,
  kind: 'domain' | 'email',
  options: {
    includeMachine: boolean
    freeMail: string[]
    after?: { at: string; value: string }
    limit: number
  },
) {
  const first = options.includeMachine ? sql`l.first_click_at` : sql`l.first_human_click_at`
  const last = options.includeMachine ? sql`l.last_click_at` : sql`l.last_human_click_at`
  const managed =
    kind === 'domain'
      ? sql`exists (select 1 from account a where a.workspace_id = l.workspace_id and a.domain = l.value and a.deleted_at is null)
        or exists (select 1 from account_alias al join account a on a.id = al.account_id
          where al.workspace_id = l.workspace_id and al.domain = l.value and a.deleted_at is null)
        or l.value = any(${options.freeMail}::text[])`
      : sql`exists (select 1 from contact c where c.workspace_id = l.workspace_id and c.email = l.value and c.deleted_at is null)`
  const { rows } = await sql<LeadRow>`
    select l.value, l.clicks, l.clicks_human, ${first} as first_click_at, ${last} as last_click_at,
      coalesce((select json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name)
        from campaign c where c.id = any(l.campaign_ids)), '[]') as campaigns
    from stats_lead l
    where l.workspace_id = ${workspaceId} and l.kind = ${kind}
      and ${options.includeMachine ? sql`l.clicks > 0` : sql`l.clicks_human > 0`}
      and not (${managed})
      ${options.after ? sql`and (${last}, l.value) < (${options.after.at}::timestamptz, ${options.after.value})` : sql``}
    order by ${last} desc, l.value desc
    limit ${options.limit}`.execute(db)
  return rows
}

/** Past deliveries to a lead now count for the account: its id added, the domain no longer a lead. */
export async function attachDomainDeliveries(
  db: Db,
  workspaceId: WorkspaceId,
  domain: string,
  accountId: string,
) {
  const { rows } = await sql<{ id: string }>`
    update delivery set account_ids = array_append(account_ids, ${accountId}::uuid),
      lead_domains = array_remove(lead_domains, ${domain})
    where workspace_id = ${workspaceId} and lead_domains @> array[${domain}]::text[]
      and not account_ids @> array[${accountId}]::uuid[]
    returning id`.execute(db)
  return rows.map((r) => r.id)
}

export async function attachEmailDeliveries(
  db: Db,
  workspaceId: WorkspaceId,
  email: string,
  contactId: string,
) {
  const { rows } = await sql<{ id: string }>`
    update delivery set contact_ids = array_append(contact_ids, ${contactId}::uuid),
      lead_emails = array_remove(lead_emails, ${email})
    where workspace_id = ${workspaceId} and lead_emails @> array[${email}]::text[]
      and not contact_ids @> array[${contactId}]::uuid[]
    returning id`.execute(db)
  return rows.map((r) => r.id)
}

export async function deleteLead(db: Db, workspaceId: WorkspaceId, kind: 'domain' | 'email', value: string) {
  await db
    .deleteFrom('stats_lead')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .execute()
}

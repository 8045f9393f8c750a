import { createHash, randomUUID } from 'node:crypto'
import type { ResolveRequest, ResolveResponse } from '@signet/shared'
import { imageVersion, landingUrl } from '../campaigns/dto.ts'
import type { Config } from '../config.ts'
import { changeFeed, type Db } from '../db/index.ts'
import type { AccountId, ContactId, DeliveryId, UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { FALLBACK_TEMPLATE } from '../signatures/render.ts'
import { renderCached } from '../signatures/service.ts'
import { findDynamicMemberships } from '../targets/lookup-queries.ts'
import { deliveryToken, trackingUrls, untrackedImageUrl } from '../tracking/token.ts'
import { bannerHtml, trackedBannerHtml } from './banner.ts'
import { publishedCampaigns, runsInGroup, servableNow } from './cache.ts'
import { cachedResolveContext } from './context-cache.ts'
import { attachMatches, decide, type Recipient } from './decide.ts'
import { deliveryWriter } from './deliveries.ts'
import { findResolveContext, type ServableCampaign } from './queries.ts'
import { parseRecipients } from './recipients.ts'
import { indexSnapshot, syncedIndex, targetingIndex } from './targeting-index.ts'

/** A recipient always sees the same variant: a hash of campaign and recipient, spread by weight. */
export function pickVariant(campaign: ServableCampaign, key: string) {
  // One variant is picked whatever the hash (even at weight 0: the last one is the fallback).
  if (campaign.variants.length === 1) return campaign.variants[0]!
  const total = campaign.variants.reduce((sum, v) => sum + v.weight, 0)
  const hash = createHash('sha256').update(`${campaign.id}\n${key}`).digest().readUInt32BE(0)
  let point = (hash / 2 ** 32) * total
  for (const variant of campaign.variants) {
    point -= variant.weight
    if (point < 0) return variant
  }
  return campaign.variants[campaign.variants.length - 1]!
}

const unique = <T>(values: T[]) => [...new Set(values)]

function ignoredSentence(recipients: Recipient[]): string[] {
  const why = { internal: 'internal', invalid: 'not an email address', duplicate: 'listed twice' }
  const ignored = recipients.filter((r) => r.ignored !== null)
  if (ignored.length === 0) return []
  return [`Ignored: ${ignored.map((r) => `${r.email || '(empty)'} (${why[r.ignored!]})`).join(', ')}.`]
}

/**
 * What a resolve reads besides the recipients' dynamic groups: with a live change feed all of it
 * from memory (no database round trip once warm), else settings, profile, template and the
 * targeting change check in one statement.
 */
async function readState(db: Db, workspaceId: WorkspaceId, employeeId: UserId) {
  const feed = changeFeed(db)
  if (feed?.live) {
    const [context, index, published] = await Promise.all([
      cachedResolveContext(db, feed, workspaceId, employeeId),
      syncedIndex(db, workspaceId, feed.version('targets', workspaceId)),
      publishedCampaigns(db, workspaceId, `feed ${feed.version('campaigns', workspaceId)}`),
    ])
    return { context, index, published }
  }
  const since = indexSnapshot(db, workspaceId)
  const context = await findResolveContext(db, workspaceId, employeeId, since)
  const [index, published] = await Promise.all([
    targetingIndex(db, workspaceId, since, {
      changed: context.workspace.targets_changed,
      snapshot: context.workspace.snapshot,
    }),
    publishedCampaigns(db, workspaceId, context.workspace.version),
  ])
  return { context, index, published }
}

/**
 * The whole answer to "which banner does this email get?" for one employee and recipient list.
 * `record: false` (simulate) decides the same way but writes no delivery and puts no token in
 * the banner.
 */
export async function resolveSignature(
  db: Db,
  config: Config,
  workspaceId: WorkspaceId,
  employeeId: string,
  request: ResolveRequest,
  options: { record: boolean },
): Promise<ResolveResponse> {
  const { context, index, published } = await readState(db, workspaceId, employeeId as UserId)
  const { workspace, profile, templateHtml } = context
  if (!profile) throw new ApiError('validation_failed', 'There is no such employee.', 'employeeId')
  const parsed = parseRecipients(request, workspace.internal_domains)
  const emails: string[] = []
  const domains: string[] = []
  for (const r of parsed)
    if (r.ignored === null) {
      emails.push(r.email)
      if (!domains.includes(r.domain!)) domains.push(r.domain!)
    }
  const targets = index.targets(emails, domains)
  const memberships = index.memberships(targets)
  // Dynamic groups are evaluated in the database, and only those a campaign could serve.
  const dynamic = targets.contacts.size + targets.accounts.size ? index.dynamicGroups() : []
  const served = dynamic.length ? dynamic.filter((g) => runsInGroup(published, g.id)) : []
  if (served.length) {
    const contactIds = [...targets.contacts.values()].map((c) => c.id)
    const accountIds = unique([...targets.accounts.values()].map((a) => a.id))
    const names = new Map(served.map((g) => [g.id, g.name]))
    for (const m of await findDynamicMemberships(db, workspaceId, served, { contactIds, accountIds }))
      memberships.push({
        groupId: m.groupId,
        groupName: names.get(m.groupId) ?? '',
        contactId: 'contactId' in m ? m.contactId : null,
        accountId: 'accountId' in m ? m.accountId : null,
      })
  }
  const campaigns = emails.length
    ? servableNow(published, {
        groupIds: new Set(memberships.map((m) => m.groupId)),
        departmentId: profile.department_id,
      })
    : []
  const recipients = attachMatches(parsed, targets.contacts, targets.accounts, memberships, campaigns)
  const decision = decide(recipients, campaigns, workspace.multi_recipient_policy, {
    departmentId: profile.department_id,
    departmentName: profile.department_name,
  })
  const sentences = [...decision.sentences]
  for (const r of recipients.filter((x) => x.suppressed))
    sentences.push(
      `${r.email} is not targeted because the contact is ${r.contact!.deleted ? 'deleted but still ' : ''}${r.contact!.status.replaceAll('_', ' ')}.`,
    )
  sentences.push(...ignoredSentence(recipients))

  const campaign = decision.campaign
  let banner = ''
  let tracked = false
  let deliveryId: string | null = null
  let variantId: string | null = null
  if (campaign) {
    const variant = pickVariant(campaign, decision.variantKey)
    variantId = variant.id
    const optedOut = recipients.filter((r) => r.ignored === null && r.optedOut)
    tracked = workspace.tracking_tier !== 'off' && optedOut.length === 0
    if (workspace.tracking_tier === 'off')
      sentences.push('Tracking is off in this workspace, so the banner is not tracked.')
    else if (optedOut.length)
      sentences.push(
        `${optedOut.map((r) => r.email).join(', ')} opted out of tracking, so the banner links straight to its destination and has no view pixel.`,
      )
    const version = imageVersion(variant.sha256)
    const parts = { altText: variant.altText, width: variant.width, height: variant.height }
    if (tracked && options.record) {
      const identified = workspace.tracking_tier === 'identified'
      const accountIds: AccountId[] = []
      const contactIds: ContactId[] = []
      const leadDomains: string[] = []
      const leadEmails: string[] = []
      for (const r of recipients) {
        if (r.ignored !== null) continue
        if (r.account) {
          if (!accountIds.includes(r.account.id)) accountIds.push(r.account.id)
        } else if (!leadDomains.includes(r.domain!)) leadDomains.push(r.domain!)
        // Per-person history only in the identified tier, and only with recorded consent.
        if (!identified) continue
        if (r.contact) {
          if (r.contact.consent && !r.suppressed && !contactIds.includes(r.contact.id))
            contactIds.push(r.contact.id)
        } else if (!leadEmails.includes(r.email)) leadEmails.push(r.email)
      }
      const id = randomUUID() as DeliveryId
      deliveryWriter(db).record({
        id,
        workspace_id: workspaceId,
        campaign_id: campaign.id,
        variant_id: variant.id,
        employee_id: profile.id as UserId,
        account_ids: accountIds,
        contact_ids: contactIds,
        lead_domains: leadDomains,
        lead_emails: leadEmails,
        created_at: new Date(),
      })
      deliveryId = id
      const base = config.publicBaseUrl
      banner = trackedBannerHtml(
        variant,
        (token) => trackingUrls(base, token, version),
        `${base}\n${version}`,
        deliveryToken(config.secret, id),
      )
    } else {
      banner = bannerHtml({
        ...parts,
        href: landingUrl(campaign.landing),
        imageUrl: untrackedImageUrl(config.publicBaseUrl, variant.id, version),
      })
    }
  }
  if (!options.record) sentences.push('This is a simulation: no delivery was recorded.')
  const signatureHtml = renderCached(templateHtml ?? FALLBACK_TEMPLATE, profile, banner)

  return {
    signatureHtml,
    campaign:
      campaign && variantId ? { id: campaign.id, name: campaign.name, variantId, kind: campaign.kind } : null,
    tracked,
    deliveryId,
    explanation: sentences.join(' '),
    recipients: recipients.map((r) => ({
      email: r.email,
      ignored: r.ignored,
      accountId: r.account?.id ?? null,
      // A deleted contact is not the recipient's contact; it only keeps what it asked for.
      contactId: r.contact && !r.contact.deleted ? r.contact.id : null,
      optedOut: r.optedOut,
      matches: r.matches.map((m) => ({
        level: m.level,
        targetGroup: m.group,
        campaigns: m.campaigns.map((c) => ({ id: c.id, name: c.name })),
      })),
    })),
  }
}

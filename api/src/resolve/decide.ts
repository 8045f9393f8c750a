import { suppressedStatuses } from '@signet/shared/contacts'
import type { AccountId, ContactId, DepartmentId, TargetGroupId } from '../db/schema.ts'
import type { ServableCampaign } from './queries.ts'
import type { ParsedRecipient } from './recipients.ts'
import type { AccountTarget, ContactTarget, GroupMembership } from './targeting-index.ts'

/** A contact with a suppressed status contributes no match at all, its account's included. */
const SUPPRESSED = new Set<string>(suppressedStatuses)

export type Policy = 'best_match' | 'first_to' | 'single_account'

export interface Recipient extends ParsedRecipient {
  contact: ContactTarget | null
  account: AccountTarget | null
  suppressed: boolean
  optedOut: boolean
  matches: {
    level: 'contact' | 'account'
    group: { id: TargetGroupId; name: string }
    campaigns: ServableCampaign[]
  }[]
}

export interface Decision {
  campaign: ServableCampaign | null
  /** Whose address picks the variant. */
  variantKey: string
  sentences: string[]
}

const byName = new Intl.Collator()

export function attachMatches(
  parsed: ParsedRecipient[],
  contacts: Map<string, ContactTarget>,
  accounts: Map<string, AccountTarget>,
  memberships: GroupMembership[],
  campaigns: readonly ServableCampaign[],
): Recipient[] {
  const byGroup = new Map<TargetGroupId, ServableCampaign[]>()
  for (const c of campaigns)
    if (c.kind === 'receiver')
      for (const g of c.groupIds) {
        const list = byGroup.get(g)
        if (list) list.push(c)
        else byGroup.set(g, [c])
      }
  const none: ServableCampaign[] = []
  const result: Recipient[] = []
  for (const p of parsed) {
    const contact = (p.ignored === null && contacts.get(p.email)) || null
    const account = (p.ignored === null && p.domain && accounts.get(p.domain)) || null
    const suppressed = contact !== null && SUPPRESSED.has(contact.status)
    const matches: Recipient['matches'] = []
    if (!suppressed) {
      for (const m of memberships) {
        if (
          !(contact && m.contactId === (contact.id as ContactId)) &&
          !(account && m.accountId === (account.id as AccountId))
        )
          continue
        matches.push({
          level: m.contactId ? 'contact' : 'account',
          group: { id: m.groupId, name: m.groupName },
          campaigns: byGroup.get(m.groupId) ?? none,
        })
      }
      if (matches.length > 1)
        matches.sort((a, b) =>
          a.level === b.level ? byName.compare(a.group.name, b.group.name) : a.level === 'contact' ? -1 : 1,
        )
    }
    // Built field by field: a spread of `p` with more fields is several times slower.
    result.push({
      email: p.email,
      field: p.field,
      domain: p.domain,
      ignored: p.ignored,
      contact,
      account,
      suppressed,
      optedOut: contact?.trackingOptOut ?? false,
      matches,
    })
  }
  return result
}

interface Candidate {
  campaign: ServableCampaign
  contactLevel: boolean
  recipients: Set<string>
  firstRecipient: string
}

function compare(a: Candidate, b: Candidate): number {
  if (a.contactLevel !== b.contactLevel) return a.contactLevel ? -1 : 1
  if (a.campaign.priority !== b.campaign.priority) return b.campaign.priority - a.campaign.priority
  if (a.recipients.size !== b.recipients.size) return b.recipients.size - a.recipients.size
  const started = b.campaign.startedAt.getTime() - a.campaign.startedAt.getTime()
  if (started !== 0) return started
  return a.campaign.id < b.campaign.id ? -1 : 1
}

/** Why the winner beat the runner-up, in words: the first rule that told them apart. */
function reason(winner: Candidate, runnerUp: Candidate | undefined): string {
  if (!runnerUp) return 'it is the only campaign that matches'
  if (winner.contactLevel !== runnerUp.contactLevel)
    return `a contact-level match beats the account-level match of ${runnerUp.campaign.name}`
  if (winner.campaign.priority !== runnerUp.campaign.priority)
    return `its priority ${winner.campaign.priority} is higher than ${runnerUp.campaign.name}’s ${runnerUp.campaign.priority}`
  if (winner.recipients.size !== runnerUp.recipients.size)
    return `it matches ${winner.recipients.size} recipients, ${runnerUp.campaign.name} ${runnerUp.recipients.size}`
  return `it started more recently than ${runnerUp.campaign.name}`
}

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`

/** "acme.com is in target group Key accounts, which runs Webinar Q4." — one per matching group. */
export function matchSentences(recipients: Recipient[]): string[] {
  const sentences: string[] = []
  for (const r of recipients) {
    for (const m of r.matches) {
      if (m.campaigns.length === 0) continue
      const who = m.level === 'contact' ? r.email : (r.account?.domain ?? r.domain)
      const sentence = `${who} is in target group ${m.group.name}, which runs ${list(m.campaigns.map((c) => c.name))}.`
      if (!sentences.includes(sentence)) sentences.push(sentence)
    }
  }
  return sentences
}

function senderFallback(
  campaigns: readonly ServableCampaign[],
  departmentId: DepartmentId | null,
  departmentName: string | null,
  why: string,
  key: string,
): Decision {
  const senders = campaigns
    .filter((c) => c.kind === 'sender')
    .sort(
      (a, b) =>
        b.priority - a.priority || b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? -1 : 1),
    )
  const ofDepartment = departmentId
    ? senders.find((c) => c.senderScope === 'departments' && c.departmentIds.includes(departmentId))
    : undefined
  if (ofDepartment)
    return {
      campaign: ofDepartment,
      variantKey: key,
      sentences: [
        `${why}, so ${ofDepartment.name}, the sender-based campaign of department ${departmentName}, applies.`,
      ],
    }
  const forAll = senders.find((c) => c.senderScope === 'all')
  if (forAll)
    return {
      campaign: forAll,
      variantKey: key,
      sentences: [`${why}, so ${forAll.name}, the sender-based campaign for all employees, applies.`],
    }
  return {
    campaign: null,
    variantKey: key,
    sentences: [`${why}, and no sender-based campaign applies, so there is no banner.`],
  }
}

/** Rules 2–4 of PRODUCT.md "Resolve", with the workspace's multi-recipient policy. */
export function decide(
  recipients: Recipient[],
  campaigns: readonly ServableCampaign[],
  policy: Policy,
  sender: { departmentId: DepartmentId | null; departmentName: string | null },
): Decision {
  const external = recipients.filter((r) => r.ignored === null)
  if (external.length === 0) {
    const why = recipients.some((r) => r.ignored === 'internal')
      ? 'All recipients are internal, and internal email gets no campaign.'
      : 'There is no external recipient yet, so there is no banner.'
    return { campaign: null, variantKey: '', sentences: [why] }
  }
  const fallback = (why: string) =>
    senderFallback(campaigns, sender.departmentId, sender.departmentName, why, external[0]!.email)

  let deciding = external
  const sentences: string[] = []
  if (policy === 'first_to') {
    const first = external.find((r) => r.field === 'to') ?? external[0]!
    deciding = [first]
    sentences.push(`The workspace lets the first To recipient decide: ${first.email}.`)
  } else if (policy === 'single_account') {
    const accountIds = new Set(external.map((r) => r.account?.id ?? null))
    if (accountIds.size !== 1 || accountIds.has(null)) {
      const d = fallback(
        'The recipients do not all belong to one account, which the workspace’s policy requires for a targeted banner',
      )
      return { ...d, sentences: [...matchSentences(external), ...d.sentences] }
    }
  }

  const candidates = new Map<string, Candidate>()
  for (const r of deciding) {
    for (const m of r.matches) {
      for (const campaign of m.campaigns) {
        const candidate = candidates.get(campaign.id) ?? {
          campaign,
          contactLevel: false,
          recipients: new Set<string>(),
          firstRecipient: r.email,
        }
        candidate.contactLevel ||= m.level === 'contact'
        candidate.recipients.add(r.email)
        candidates.set(campaign.id, candidate)
      }
    }
  }
  sentences.unshift(...matchSentences(deciding))
  const ranked = [...candidates.values()].sort(compare)
  const winner = ranked[0]
  if (!winner) {
    const d = fallback('No recipient is in a target group with an active campaign')
    return { ...d, sentences: [...sentences, ...d.sentences] }
  }
  sentences.push(`${winner.campaign.name} is chosen because ${reason(winner, ranked[1])}.`)
  return { campaign: winner.campaign, variantKey: winner.firstRecipient, sentences }
}

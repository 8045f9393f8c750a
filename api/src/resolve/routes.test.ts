import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { fixtures } from './fixture-queries.ts'

let t: TestContext
let salesDepartment: string

beforeAll(async () => {
  t = await setupTestApp()
  const f = fixtures(t, t.a)
  await t.request('PATCH', '/api/workspace', {
    token: t.a.admin.token,
    json: { internalDomains: ['ourco.com', 'ourco.internal'] },
  })
  const acme = await f.account('acme.com', ['acme.de'])
  const globex = await f.account('globex.com')
  const initech = await f.account('initech.com')
  const umbrella = await f.account('umbrella.com')
  const stark = await f.account('stark.com')
  const hooli = await f.account('hooli.com')
  const ceo = await f.contact('ceo@globex.com', { accountId: globex })
  await f.contact('jane@acme.com', { optOut: true, accountId: acme })
  const former = await f.contact('ex@acme.com', { deleted: true, accountId: acme })
  // What a person asked for outlives the record: a deleted contact's opt-out and suppression hold.
  const gone = await f.contact('gone@acme.com', { deleted: true, optOut: true, accountId: acme })
  await f.contact('left@acme.com', { deleted: true, status: 'unsubscribed', accountId: acme })
  // Another spelling of an inbox is its contact: a +tag, Gmail's dots.
  await f.contact('max.muster@gmail.com', { optOut: true })
  await f.contact('news+sales@acme.com', { status: 'unsubscribed', accountId: acme })
  // A live contact with the same address as a deleted, opted-out one is the one that counts.
  await f.contact('again@acme.com', { deleted: true, optOut: true, accountId: acme })
  await f.contact('again@acme.com', { accountId: acme })
  const black = await f.contact('black@initech.com', { status: 'blacklisted', accountId: initech })
  await f.contact('pat@hooli.com', { consent: true, accountId: hooli })

  await f.campaign('Webinar Q4', {
    groups: [await f.group('Key accounts', { accounts: [acme, globex] })],
    startsAt: '2026-01-01T00:00:00Z',
  })
  await f.campaign('CEO dinner', { groups: [await f.group('Globex VIPs', { contacts: [ceo] })] })
  await f.campaign('Globex upsell', {
    groups: [await f.group('Globex', { accounts: [globex] })],
    priority: 5,
  })
  await f.campaign('Initech promo', {
    groups: [await f.group('Initech', { accounts: [initech] })],
    startsAt: '2026-06-01T00:00:00Z',
  })
  await f.campaign('Initech personal', { groups: [await f.group('Initech people', { contacts: [black] })] })
  await f.campaign('Former VIP offer', {
    groups: [await f.group('Former VIPs', { contacts: [former, gone] })],
  })
  await f.campaign('Paused campaign', {
    groups: [await f.group('Umbrella', { accounts: [umbrella] })],
    state: 'paused',
  })
  const starkGroup = await f.group('Stark', { accounts: [stark] })
  await f.campaign('Future campaign', { groups: [starkGroup], state: 'scheduled' })
  await f.campaign('Ended campaign', { groups: [starkGroup], state: 'ended' })
  await f.campaign('Draft campaign', { groups: [starkGroup], state: 'draft' })
  await f.campaign('Hooli A/B', { groups: [await f.group('Hooli', { accounts: [hooli] })], variants: 2 })

  const sales = await t.request('POST', '/api/departments', {
    token: t.a.marketer.token,
    json: { name: 'Sales' },
  })
  salesDepartment = sales.body.id
  await t.request('PATCH', `/api/employees/${t.a.marketer.id}`, {
    token: t.a.marketer.token,
    json: { departmentId: salesDepartment },
  })
  await f.campaign('Brand for everyone')
  await f.campaign('Sales banner', { departments: [salesDepartment], priority: -1 })
  await f.campaign('Paused sender', { state: 'paused', priority: 10 })
})
afterAll(() => t.close())

type Policy = 'best_match' | 'first_to' | 'single_account'
interface Case {
  name: string
  to?: string[]
  cc?: string[]
  bcc?: string[]
  policy?: Policy
  /** Simulate as the Sales marketer instead of resolving as the employee. */
  asSales?: boolean
  campaign: string | null
  tracked: boolean
  explanation: string
}

const cases: Case[] = [
  {
    name: 'no recipients yet',
    campaign: null,
    tracked: false,
    explanation: 'There is no external recipient yet, so there is no banner.',
  },
  {
    name: 'internal-only mail',
    to: ['Colleague <colleague@ourco.com>'],
    cc: ['boss@mail.ourco.com'],
    campaign: null,
    tracked: false,
    explanation:
      'All recipients are internal, and internal email gets no campaign. Ignored: colleague@ourco.com (internal), boss@mail.ourco.com (internal).',
  },
  {
    name: 'an internal host without a public suffix is a colleague, not an invalid address',
    to: ['it@mail.ourco.internal'],
    campaign: null,
    tracked: false,
    explanation:
      'All recipients are internal, and internal email gets no campaign. Ignored: it@mail.ourco.internal (internal).',
  },
  {
    name: 'unknown external recipient falls back to the sender-based campaign for all',
    to: ['someone@unknown-corp.com'],
    campaign: 'Brand for everyone',
    tracked: true,
    explanation:
      'No recipient is in a target group with an active campaign, so Brand for everyone, the sender-based campaign for all employees, applies.',
  },
  {
    name: 'account match',
    to: ['Max <Max@Acme.com>'],
    campaign: 'Webinar Q4',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches.',
  },
  {
    name: 'account match through an alias domain',
    to: ['max@sub.acme.de'],
    campaign: 'Webinar Q4',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches.',
  },
  {
    name: 'contact-level beats account-level, even of higher priority',
    to: ['ceo@globex.com'],
    campaign: 'CEO dinner',
    tracked: true,
    explanation:
      'ceo@globex.com is in target group Globex VIPs, which runs CEO dinner. globex.com is in target group Globex, which runs Globex upsell. globex.com is in target group Key accounts, which runs Webinar Q4. CEO dinner is chosen because a contact-level match beats the account-level match of Globex upsell.',
  },
  {
    name: 'higher priority wins between account matches',
    to: ['someone@globex.com'],
    campaign: 'Globex upsell',
    tracked: true,
    explanation:
      'globex.com is in target group Globex, which runs Globex upsell. globex.com is in target group Key accounts, which runs Webinar Q4. Globex upsell is chosen because its priority 5 is higher than Webinar Q4’s 0.',
  },
  {
    name: 'several recipients matching different campaigns: the one matching more recipients wins',
    to: ['a@acme.com', 'b@initech.com'],
    cc: ['c@acme.com'],
    campaign: 'Webinar Q4',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. initech.com is in target group Initech, which runs Initech promo. Webinar Q4 is chosen because it matches 2 recipients, Initech promo 1.',
  },
  {
    name: 'tie on level, priority and count: the most recent start wins',
    to: ['a@acme.com', 'b@initech.com'],
    campaign: 'Initech promo',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. initech.com is in target group Initech, which runs Initech promo. Initech promo is chosen because it started more recently than Webinar Q4.',
  },
  {
    name: 'opted-out recipient gets an untracked banner',
    to: ['jane@acme.com'],
    campaign: 'Webinar Q4',
    tracked: false,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches. jane@acme.com opted out of tracking, so the banner links straight to its destination and has no view pixel.',
  },
  {
    name: 'deleted contact counts only through its account',
    to: ['ex@acme.com'],
    campaign: 'Webinar Q4',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches.',
  },
  {
    name: 'deleted contact that opted out still gets an untracked banner',
    to: ['gone@acme.com'],
    campaign: 'Webinar Q4',
    tracked: false,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches. gone@acme.com opted out of tracking, so the banner links straight to its destination and has no view pixel.',
  },
  {
    name: 'deleted contact that unsubscribed is still not targeted',
    to: ['left@acme.com'],
    campaign: 'Brand for everyone',
    tracked: true,
    explanation:
      'No recipient is in a target group with an active campaign, so Brand for everyone, the sender-based campaign for all employees, applies. left@acme.com is not targeted because the contact is deleted but still unsubscribed.',
  },
  {
    name: 'another spelling of an opted-out contact’s inbox is opted out too',
    to: ['MaxMuster+Fair@googlemail.com'],
    campaign: 'Brand for everyone',
    tracked: false,
    explanation:
      'No recipient is in a target group with an active campaign, so Brand for everyone, the sender-based campaign for all employees, applies. maxmuster+fair@googlemail.com opted out of tracking, so the banner links straight to its destination and has no view pixel.',
  },
  {
    name: 'the inbox of a +tagged unsubscribed contact is not targeted',
    to: ['news@acme.com'],
    campaign: 'Brand for everyone',
    tracked: true,
    explanation:
      'No recipient is in a target group with an active campaign, so Brand for everyone, the sender-based campaign for all employees, applies. news@acme.com is not targeted because the contact is unsubscribed.',
  },
  {
    name: 'live contact beats a deleted one with the same address',
    to: ['again@acme.com'],
    campaign: 'Webinar Q4',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches.',
  },
  {
    name: 'blacklisted contact is not targeted at all',
    to: ['black@initech.com'],
    campaign: 'Brand for everyone',
    tracked: true,
    explanation:
      'No recipient is in a target group with an active campaign, so Brand for everyone, the sender-based campaign for all employees, applies. black@initech.com is not targeted because the contact is blacklisted.',
  },
  {
    name: 'paused campaign never serves',
    to: ['x@umbrella.com'],
    campaign: 'Brand for everyone',
    tracked: true,
    explanation:
      'No recipient is in a target group with an active campaign, so Brand for everyone, the sender-based campaign for all employees, applies.',
  },
  {
    name: 'scheduled, ended and draft campaigns never serve',
    to: ['x@stark.com'],
    campaign: 'Brand for everyone',
    tracked: true,
    explanation:
      'No recipient is in a target group with an active campaign, so Brand for everyone, the sender-based campaign for all employees, applies.',
  },
  {
    name: 'policy first_to: the first To recipient decides',
    policy: 'first_to',
    to: ['x@initech.com', 'ceo@globex.com'],
    campaign: 'Initech promo',
    tracked: true,
    explanation:
      'initech.com is in target group Initech, which runs Initech promo. The workspace lets the first To recipient decide: x@initech.com. Initech promo is chosen because it is the only campaign that matches.',
  },
  {
    name: 'policy first_to: a Cc recipient decides only without an external To',
    policy: 'first_to',
    to: ['colleague@ourco.com'],
    cc: ['x@initech.com'],
    campaign: 'Initech promo',
    tracked: true,
    explanation:
      'initech.com is in target group Initech, which runs Initech promo. The workspace lets the first To recipient decide: x@initech.com. Initech promo is chosen because it is the only campaign that matches. Ignored: colleague@ourco.com (internal).',
  },
  {
    name: 'policy single_account: recipients of two accounts get the sender-based banner',
    policy: 'single_account',
    to: ['a@acme.com', 'b@initech.com'],
    campaign: 'Brand for everyone',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. initech.com is in target group Initech, which runs Initech promo. The recipients do not all belong to one account, which the workspace’s policy requires for a targeted banner, so Brand for everyone, the sender-based campaign for all employees, applies.',
  },
  {
    name: 'policy single_account: one account under two domains is targeted',
    policy: 'single_account',
    to: ['a@acme.com', 'b@acme.de'],
    campaign: 'Webinar Q4',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches.',
  },
  {
    name: 'sender in a department gets the department’s campaign over the one for all',
    asSales: true,
    to: ['someone@unknown-corp.com'],
    campaign: 'Sales banner',
    tracked: true,
    explanation:
      'No recipient is in a target group with an active campaign, so Sales banner, the sender-based campaign of department Sales, applies. This is a simulation: no delivery was recorded.',
  },
  {
    name: 'invalid and duplicate recipients are ignored',
    to: ['not-an-email', 'A@acme.com', 'a@acme.com', 'x@localhost'],
    campaign: 'Webinar Q4',
    tracked: true,
    explanation:
      'acme.com is in target group Key accounts, which runs Webinar Q4. Webinar Q4 is chosen because it is the only campaign that matches. Ignored: not-an-email (not an email address), a@acme.com (listed twice), x@localhost (not an email address).',
  },
]

describe('resolve rules (table)', () => {
  it.each(cases)('$name', async (c) => {
    await t.request('PATCH', '/api/workspace', {
      token: t.a.admin.token,
      json: { multiRecipientPolicy: c.policy ?? 'best_match', trackingTier: 'aggregate' },
    })
    const recipients = { to: c.to ?? [], cc: c.cc ?? [], bcc: c.bcc ?? [] }
    const res = c.asSales
      ? await t.request('POST', '/api/simulate', {
          token: t.a.marketer.token,
          json: { ...recipients, employeeId: t.a.marketer.id },
        })
      : await t.request('POST', '/api/resolve', { token: t.a.employee.token, json: recipients })
    expect(res.status).toBe(200)
    expect(res.body.campaign?.name ?? null).toBe(c.campaign)
    expect(res.body.tracked).toBe(c.tracked)
    expect(res.body.explanation).toBe(c.explanation)
    expect(res.body.deliveryId !== null).toBe(c.tracked && !c.asSales)
    if (c.campaign === null) expect(res.body.signatureHtml).not.toContain('data-signet-banner')
  })
})

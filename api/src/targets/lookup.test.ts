import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { findGroupsOfTargets, findRecipientTargets } from './lookup-queries.ts'

let t: TestContext
const ids: Record<string, string> = {}

beforeAll(async () => {
  t = await setupTestApp()
  const post = async (path: string, json: unknown, token = t.a.marketer.token) => {
    const res = await t.request('POST', path, { token, json })
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300)
    return res.body
  }
  ids.acme = (await post('/api/accounts', { domain: 'acme.com', aliases: ['acme.de'], industry: 'Steel' })).id
  ids.max = (await post('/api/contacts', { email: 'max@acme.com', labels: ['vip'] })).id
  ids.eva = (await post('/api/contacts', { email: 'eva@free.org' })).id
  await post(`/api/contacts/${ids.eva}/actions/opt-out`, {})
  ids.gone = (await post('/api/contacts', { email: 'gone@acme.com', labels: ['vip'] })).id
  ids.bAcme = (await post('/api/accounts', { domain: 'acme.com' }, t.b.marketer.token)).id

  ids.staticAccounts = (await post('/api/target-groups', { name: 'Key', kind: 'account' })).id
  await post(`/api/target-groups/${ids.staticAccounts}/members/add`, { ids: [ids.acme] })
  ids.staticContacts = (await post('/api/target-groups', { name: 'People', kind: 'contact' })).id
  await post(`/api/target-groups/${ids.staticContacts}/members/add`, { ids: [ids.max, ids.gone] })
  const vip = await post('/api/segments', {
    name: 'VIP',
    kind: 'contact',
    filter: {
      type: 'group',
      combinator: 'and',
      conditions: [{ type: 'labels', op: 'any', values: ['vip'] }],
    },
  })
  ids.dynamicContacts = (
    await post('/api/target-groups', { name: 'VIP', kind: 'contact', segmentId: vip.id })
  ).id
  const steel = await post('/api/segments', {
    name: 'Steel',
    kind: 'account',
    filter: {
      type: 'group',
      combinator: 'and',
      conditions: [{ type: 'field', field: 'industry', op: 'equals', value: 'steel' }],
    },
  })
  ids.dynamicAccounts = (
    await post('/api/target-groups', { name: 'Steel', kind: 'account', segmentId: steel.id })
  ).id
  await t.request('DELETE', `/api/contacts/${ids.gone}`, { token: t.a.marketer.token })
})
afterAll(() => t.close())

describe('findRecipientTargets', () => {
  it('finds the live contact and the account by domain or alias, per lower-cased email', async () => {
    const result = await findRecipientTargets(t.db, t.a.id, [
      'MAX@acme.com',
      'eva@free.org',
      'sales@mail.acme.de',
      'gone@acme.com',
      'x@nowhere.net',
      'garbage',
    ])
    expect(Object.fromEntries(result)).toEqual({
      'max@acme.com': {
        contact: { id: ids.max, status: 'active', trackingOptOut: false, accountId: ids.acme },
        account: { id: ids.acme, domain: 'acme.com' },
      },
      'eva@free.org': {
        contact: { id: ids.eva, status: 'active', trackingOptOut: true, accountId: null },
        account: null,
      },
      'sales@mail.acme.de': { contact: null, account: { id: ids.acme, domain: 'acme.com' } },
      'gone@acme.com': { contact: null, account: { id: ids.acme, domain: 'acme.com' } },
      'x@nowhere.net': { contact: null, account: null },
      garbage: { contact: null, account: null },
    })
  })

  it('answers from the given workspace only', async () => {
    const result = await findRecipientTargets(t.db, t.b.id, ['max@acme.com'])
    expect(result.get('max@acme.com')).toEqual({
      contact: null,
      account: { id: ids.bAcme, domain: 'acme.com' },
    })
  })
})

describe('findGroupsOfTargets', () => {
  it('returns static and dynamic groups, never for deleted contacts', async () => {
    const result = await findGroupsOfTargets(t.db, t.a.id, {
      accountIds: [ids.acme!],
      contactIds: [ids.max!, ids.eva!, ids.gone!],
    })
    const sorted = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort()
    expect(sorted(result)).toEqual(
      sorted([
        { groupId: ids.staticAccounts, accountId: ids.acme },
        { groupId: ids.dynamicAccounts, accountId: ids.acme },
        { groupId: ids.staticContacts, contactId: ids.max },
        { groupId: ids.dynamicContacts, contactId: ids.max },
      ]),
    )
  })

  it('finds nothing for another workspace’s ids', async () => {
    expect(
      await findGroupsOfTargets(t.db, t.b.id, { accountIds: [ids.acme!], contactIds: [ids.max!] }),
    ).toEqual([])
  })

  it('answers an empty list for no ids', async () => {
    expect(await findGroupsOfTargets(t.db, t.a.id, { accountIds: [], contactIds: [] })).toEqual([])
  })
})

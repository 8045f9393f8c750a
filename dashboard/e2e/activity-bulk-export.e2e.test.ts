import { readFile } from 'node:fs/promises'
import type { Download, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContactId } from '../../api/src/db/schema.ts'
import { statsFixtures } from '../../api/src/stats/fixture-queries.ts'
import { type Harness, startHarness } from './harness.ts'

// A contact's activity, bulk actions in one request, and exports the API streams — as a marketer.
let h: Harness
let token: string
let f: ReturnType<typeof statsFixtures>
/** Every API request the page made, so a journey can say how many went where. */
const requests: { method: string; url: URL }[] = []

beforeAll(async () => {
  h = await startHarness()
  token = h.a.marketer.token
  f = statsFixtures(h.db, h.a.id)
  h.page.on('request', (r: Request) => {
    const url = new URL(r.url())
    if (url.pathname.startsWith('/api/')) requests.push({ method: r.method(), url })
  })
  await h.signIn(token)
})

afterAll(async () => {
  await h?.close()
})

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 })
const fieldError = (name: string) => h.page.locator(`.field-error[data-field="${name}"]`)
const notice = () => h.page.locator('.notice').first().textContent()
const go = (route: string) => h.go(route)
const send = (method: string, path: string, json?: unknown) => h.send(method, path, token, json)
const saved = async (download: Download) => readFile((await download.path())!, 'utf8')
const since = (mark: number, pathname: string, method = 'POST') =>
  requests.slice(mark).filter((r) => r.method === method && r.url.pathname === pathname)

describe('a contact’s activity', () => {
  let anna: { id: ContactId; email: string }

  beforeAll(async () => {
    await f.setTier('identified')
    anna = await send('POST', '/api/contacts', { email: 'anna@activity-e2e.com', firstName: 'Anna' })
    const webinar = await f.campaign('Autumn webinar')
    // Ten deliveries, each viewed and clicked: 30 events and the "Created" status change.
    for (let i = 0; i < 10; i++) {
      const d = await f.delivery(webinar, h.a.employee.id, { contacts: [anna.id] })
      const at = (minutes: number) => new Date(Date.now() - (i * 60 + minutes) * 60_000).toISOString()
      await f.event(d, 'view', at(30))
      await f.event(d, 'click', at(20), i === 0 ? 'bot_user_agent' : undefined)
    }
  })

  it('lists deliveries, views, clicks and status changes a page at a time, and exports them', async () => {
    const { page } = h
    await go(`/contacts/${anna.id}`)
    const activity = page.locator('section[aria-labelledby="activity-title"]')
    const rows = activity.locator('tbody tr')
    await poll(() => rows.count()).toBe(25)
    expect(await rows.first().textContent()).toContain('Autumn webinar')
    expect(await activity.locator('tr[data-activity-type="click"]').count()).toBeGreaterThan(0)
    await activity.getByRole('button', { name: 'Load more activity' }).click()
    await poll(() => rows.count()).toBe(31)
    expect(await activity.getByRole('button', { name: 'Load more activity' }).count()).toBe(0)
    expect(await activity.locator('tr[data-activity-type="status"]').textContent()).toContain('Active')
    // The machine click keeps its reason, in words rather than the API's code.
    const machine = activity.locator('tr[data-activity-type="click"]', { hasText: 'By a machine' })
    expect(await machine.locator('td').allTextContents()).toEqual([
      expect.any(String),
      'Clicked',
      'Email',
      'Autumn webinar',
      'By a machine, not counted',
      'Identified itself as a bot or crawler.',
    ])
    expect(await activity.locator('tbody').textContent()).not.toContain('bot_user_agent')
    expect(await activity.locator('tr[data-activity-type="delivery"]').first().textContent()).toContain(
      'Not sent (yet)',
    )
    await h.screenshot('activity-01-contact-activity')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      activity.getByRole('button', { name: 'Export activity (CSV)' }).click(),
    ])
    const csv = await saved(download)
    // The API writes a byte-order mark, so Excel reads the file as UTF-8.
    expect(csv.split('\r\n')[0]).toBe('\ufeffwhen,what,channel,campaign,status,detail')
    expect(csv.split('\r\n').filter((line) => line.includes('Autumn webinar'))).toHaveLength(30)
  })

  it('explains that the aggregate tier keeps no per-person history', async () => {
    const { page } = h
    await f.setTier('aggregate')
    await go(`/contacts/${anna.id}`)
    const activity = page.locator('section[aria-labelledby="activity-title"]')
    await poll(() => activity.getByText('No per-person history in this workspace.').isVisible()).toBe(true)
    await poll(() => activity.locator('tbody tr').count()).toBe(1)
    expect(await activity.locator('tbody tr').getAttribute('data-activity-type')).toBe('status')
    await h.screenshot('activity-02-aggregate-tier')
  })

  it('shows an error it can retry when the activity cannot be loaded', async () => {
    const { page } = h
    await page.route('**/api/activity/contacts/**', (route) => route.abort())
    await go(`/contacts/${anna.id}`)
    const activity = page.locator('section[aria-labelledby="activity-title"]')
    await poll(() => activity.getByRole('alert').textContent()).toContain('Signet cannot be reached')
    await page.unroute('**/api/activity/contacts/**')
    await activity.getByRole('button', { name: 'Try again' }).click()
    await poll(() => activity.locator('tbody tr').count()).toBe(1)
  })
})

describe('bulk actions', () => {
  it('adds the ticked contacts to a group in one request and says how many', async () => {
    const { page } = h
    for (const name of ['ada', 'ben', 'cleo']) {
      await send('POST', '/api/contacts', { email: `${name}@bulk-e2e.com`, labels: ['fair'] })
    }
    const group = await send('POST', '/api/target-groups', { name: 'Fair leads', kind: 'contact' })
    await go('/contacts')
    await page.getByLabel('Search', { exact: true }).fill('bulk-e2e')
    await poll(() => page.locator('#main .count').textContent()).toBe('3 of 3')
    await page.getByLabel('Select all shown').check()
    await poll(() => page.getByText('3 selected').isVisible()).toBe(true)

    // A bad label is refused at the field, and nothing is sent.
    const mark = requests.length
    await page.locator('#contacts-bulk-label').fill('x'.repeat(51))
    await page.getByRole('button', { name: 'Add label', exact: true }).click()
    await poll(() => fieldError('bulk-label').textContent()).toBe('Use at most 50 characters.')
    expect(since(mark, '/api/contacts/bulk')).toHaveLength(0)

    await page.locator('#contact-bulk-group').selectOption(group.id)
    await page.getByRole('button', { name: 'Add to group' }).click()
    await poll(notice).toBe('3 contacts added to “Fair leads”.')
    expect(since(mark, '/api/contacts/bulk')).toHaveLength(1)
    expect(since(mark, `/api/target-groups/${group.id}/members/add`)).toHaveLength(0)
    expect((await send('GET', `/api/target-groups/${group.id}`)).memberCount).toBe(3)
    await h.screenshot('bulk-01-added-to-group')
  })

  it('unsubscribes every contact the search matches, beyond the ticked rows, by the status rules', async () => {
    const { page } = h
    const cleo = (await send('GET', '/api/contacts?q=cleo@bulk-e2e.com')).items[0]
    await send('POST', `/api/contacts/${cleo.id}/actions/blacklist`, {})
    await go('/contacts')
    await page.getByLabel('Search', { exact: true }).fill('bulk-e2e')
    await poll(() => page.locator('#main .count').textContent()).toBe('3 of 3')
    await page.getByLabel('Select ada@bulk-e2e.com').check()
    await page.getByRole('button', { name: 'Select all 3 contacts matching' }).click()
    await poll(() => page.getByText('All 3 contacts matching').isVisible()).toBe(true)
    await h.screenshot('bulk-02-all-matching-selected')
    const mark = requests.length
    await page.getByLabel('Status action').selectOption('unsubscribe')
    await page.locator('#contacts-bulk-reason').fill('Cleanup after the fair')
    await page.getByRole('button', { name: 'Apply' }).click()
    await poll(notice).toBe(
      '2 contacts are now unsubscribed; 1 left as they were (the action does not apply to their status).',
    )
    const [request] = since(mark, '/api/contacts/bulk')
    expect(request).toBeDefined()
    const statuses = (await send('GET', '/api/contacts?q=bulk-e2e')).items
      .map((c: any) => [c.email, c.status])
      .sort()
    expect(statuses).toEqual([
      ['ada@bulk-e2e.com', 'unsubscribed'],
      ['ben@bulk-e2e.com', 'unsubscribed'],
      ['cleo@bulk-e2e.com', 'blacklisted'],
    ])
    const ada = (await send('GET', '/api/contacts?q=ada@bulk-e2e.com')).items[0]
    const history = await send('GET', `/api/contacts/${ada.id}/status-history`)
    expect(history.find((c: any) => c.to === 'unsubscribed')).toMatchObject({
      reason: 'Cleanup after the fair',
    })
    await h.screenshot('bulk-03-all-matching-unsubscribed')
  })

  it('records consent for the ticked contacts with how and when, and withdraws it', async () => {
    const { page } = h
    for (const name of ['dora', 'emil'])
      await send('POST', '/api/contacts', { email: `${name}@optin-example.com` })
    await go('/contacts')
    await page.getByLabel('Search', { exact: true }).fill('optin-example')
    await poll(() => page.locator('#main .count').textContent()).toBe('2 of 2')
    await page.getByLabel('Select all shown').check()

    // Without saying how consent was given, nothing is sent.
    const mark = requests.length
    await page.getByRole('button', { name: 'Record consent' }).click()
    await poll(() => fieldError('bulk-consent').textContent()).toBe(
      'Say how the consent was given, for the record (a form, a double opt-in).',
    )
    expect(since(mark, '/api/contacts/bulk')).toHaveLength(0)

    await page.locator('#contacts-bulk-consent').fill('Double opt-in, spring mailing')
    await page.locator('#contacts-bulk-consent-at').fill('2026-03-02')
    await page.getByRole('button', { name: 'Record consent' }).click()
    await poll(notice).toBe('Consent recorded for 2 contacts.')
    const consents = async () =>
      (await send('GET', '/api/contacts?q=optin-example')).items.map((c: any) => c.consent)
    expect(await consents()).toEqual([
      { given: true, at: '2026-03-02T12:00:00.000Z', method: 'Double opt-in, spring mailing' },
      { given: true, at: '2026-03-02T12:00:00.000Z', method: 'Double opt-in, spring mailing' },
    ])

    await page.getByLabel('Select all shown').check()
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Withdraw consent' }).click()
    await poll(notice).toBe('Consent withdrawn for 2 contacts.')
    expect((await consents()).map((c: any) => c.given)).toEqual([false, false])
  })

  it('changes nothing when a ticked contact was deleted meanwhile, and says which', async () => {
    const { page } = h
    await go('/contacts')
    await page.getByLabel('Search', { exact: true }).fill('bulk-e2e')
    await poll(() => page.locator('#main .count').textContent()).toBe('3 of 3')
    await page.getByLabel('Select ada@bulk-e2e.com').check()
    await page.getByLabel('Select ben@bulk-e2e.com').check()
    const ben = (await send('GET', '/api/contacts?q=ben@bulk-e2e.com')).items[0]
    await send('DELETE', `/api/contacts/${ben.id}`)
    await page.locator('#contacts-bulk-label').fill('late')
    await page.getByRole('button', { name: 'Add label', exact: true }).click()
    await poll(notice).toBe(
      'ben@bulk-e2e.com no longer exists; nothing was changed. Reload the list and try again.',
    )
    expect((await send('GET', '/api/contacts?label=late')).total).toBe(0)
  })

  it('deletes the ticked accounts in one request', async () => {
    const { page } = h
    for (const domain of ['one-bulk-e2e.com', 'two-bulk-e2e.com']) {
      await send('POST', '/api/accounts', { domain })
    }
    await go('/accounts')
    await page.getByLabel('Search', { exact: true }).fill('bulk-e2e')
    await poll(() => page.locator('#main .count').textContent()).toBe('2 of 2')
    await page.getByLabel('Select all shown').check()
    const mark = requests.length
    // One dialog confirms and asks why; the reason stays with the deleted rows.
    page.once('dialog', (dialog) => dialog.accept('Closed down'))
    await page.getByRole('button', { name: 'Delete selected' }).click()
    await poll(notice).toBe('Deleted 2 accounts. Restore them from Deleted if needed.')
    expect(since(mark, '/api/accounts/bulk')).toHaveLength(1)
    const deleted = await send('GET', '/api/accounts/deleted?q=bulk-e2e')
    expect(deleted.total).toBe(2)
    expect(deleted.items.map((a: any) => a.deletedReason)).toEqual(['Closed down', 'Closed down'])
  })
})

describe('exports stream from the API', () => {
  it('exports the filtered contact list, custom fields as columns, and the Deleted list', async () => {
    const { page } = h
    await send('POST', '/api/contacts', {
      email: 'dora@export-e2e.com',
      labels: ['export'],
      customFields: { linkedin: '=HYPERLINK("x")' },
    })
    await send('POST', '/api/contacts', { email: 'eli@export-e2e.com', labels: ['other'] })
    // The first page arrives while the label is typed (and not applied yet): it must not wipe it.
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const isList = (url: URL) => url.pathname === '/api/contacts'
    await page.route(isList, async (route) => {
      await held
      await route.continue()
    })
    const { total } = await send('GET', '/api/contacts')
    await go('/contacts')
    await page.locator('#contacts-label').fill('export')
    release()
    await poll(() => page.locator('#main .count').textContent()).toBe(`${total} of ${total}`)
    await page.unroute(isList)
    await page.locator('#contacts-label').press('Tab')
    await poll(() => page.locator('#main .count').textContent()).toBe('1 of 1')
    const mark = requests.length
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const csv = await saved(download)
    const exports = since(mark, '/api/contacts/export.csv', 'GET')
    expect(exports).toHaveLength(1)
    expect(exports[0]!.url.searchParams.get('label')).toBe('export')
    // The list endpoint was not paged through to build the file.
    expect(since(mark, '/api/contacts', 'GET')).toHaveLength(0)
    const [header, row, ...restOfFile] = csv.trim().split('\r\n')
    expect(header).toContain('custom.linkedin')
    expect(row).toContain('dora@export-e2e.com')
    // The API's formula guard: the cell starts with an apostrophe.
    expect(row).toContain(`"'=HYPERLINK(""x"")"`)
    expect(restOfFile).toEqual([])
    await h.screenshot('export-01-contacts-filtered')

    await go('/deleted')
    await poll(() => page.locator('tr[data-deleted="ben@bulk-e2e.com"]').count()).toBe(1)
    const deletedMark = requests.length
    await page.getByRole('tab', { name: 'Accounts' }).click()
    await poll(() => page.locator('tr[data-deleted="one-bulk-e2e.com"]').count()).toBe(1)
    const [deleted] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    expect(await saved(deleted)).toContain('two-bulk-e2e.com')
    expect(since(deletedMark, '/api/accounts/deleted/export.csv', 'GET')).toHaveLength(1)
  })

  it('exports a group’s members, the duplicates and the accounts from their export endpoints', async () => {
    const { page } = h
    const [group] = (await send('GET', '/api/target-groups')).filter((g: any) => g.name === 'Fair leads')
    await go(`/groups/${group.id}`)
    await poll(() => page.locator('tr[data-member]').count()).toBe(2)
    let mark = requests.length
    const [members] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const memberRows = (await saved(members)).trim().split('\r\n').slice(1)
    expect(memberRows.map((r) => r.split(',')[1]).sort()).toEqual(['ada@bulk-e2e.com', 'cleo@bulk-e2e.com'])
    expect(since(mark, `/api/target-groups/${group.id}/members/export.csv`, 'GET')).toHaveLength(1)

    await send('POST', '/api/contacts', { email: 'Max.Dup+news@googlemail.com' })
    await send('POST', '/api/contacts', { email: 'maxdup@gmail.com' })
    await go('/duplicates')
    await poll(() => page.locator('[data-duplicates="maxdup@gmail.com"]').isVisible()).toBe(true)
    mark = requests.length
    const [duplicates] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const dupCsv = await saved(duplicates)
    expect(dupCsv).toContain('email,maxdup@gmail.com,2,')
    expect(since(mark, '/api/duplicates/export.csv', 'GET')[0]!.url.searchParams.get('channel')).toBe('email')

    await send('POST', '/api/accounts', { domain: 'three-export-e2e.com', name: 'Three' })
    await send('POST', '/api/accounts', { domain: 'four-other-e2e.com', name: 'Four' })
    await go('/accounts')
    await poll(() => page.locator('#main .count').textContent()).toBe('2 of 2')
    await page.getByLabel('Search', { exact: true }).fill('export-e2e')
    await poll(() => page.locator('#main .count').textContent()).toBe('1 of 1')
    mark = requests.length
    const [accounts] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const accountRows = (await saved(accounts)).trim().split('\r\n')
    expect(accountRows).toHaveLength(2)
    expect(accountRows[1]).toContain('three-export-e2e.com')
    expect(since(mark, '/api/accounts/export.csv', 'GET')[0]!.url.searchParams.get('q')).toBe('export-e2e')
  })
})

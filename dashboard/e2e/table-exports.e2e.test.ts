import { readFile } from 'node:fs/promises'
import type { Download, Locator, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pngImage } from '../../api/src/campaigns/test-images.ts'
import { type Harness, startHarness } from './harness.ts'

// The Export CSV of the lists that build their file in the browser (campaigns, employees,
// departments, imports) and of an account's contacts, which the API streams — as a marketer.
let h: Harness
let token: string
/** Every API request the page made, so a test can say which export endpoint was asked. */
const requests: { method: string; url: URL }[] = []

beforeAll(async () => {
  h = await startHarness()
  token = h.a.marketer.token
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
const send = (method: string, path: string, json?: unknown) => h.send(method, path, token, json)
const saved = async (download: Download) => readFile((await download.path())!, 'utf8')
const count = () => h.page.locator('#main .data-table .count').textContent()

/** Clicks the Export CSV button in `scope` and answers the file's name and its lines. */
async function exportFrom(scope: Locator) {
  const [download] = await Promise.all([
    h.page.waitForEvent('download'),
    scope.getByRole('button', { name: 'Export CSV' }).click(),
  ])
  const text = await saved(download)
  expect(text.endsWith('\r\n')).toBe(true)
  return { name: download.suggestedFilename(), lines: text.slice(0, -2).split('\r\n') }
}

describe('campaigns', () => {
  const header =
    'name,state,kind,starts_at,ends_at,paused_at,priority,audience,variants,variants_with_banner,destination_url,landing_url,created_at,updated_at'
  /** A campaign for all employees; a published one gets a banner first, as the API asks. */
  const create = async (name: string, published: boolean, priority: number) => {
    const draft = await send('POST', '/api/campaigns', {
      name,
      destinationUrl: 'https://example.com/offer',
      utm: { source: 'signet' },
      altText: 'Our offer',
      priority,
    })
    if (!published) return draft
    const res = await fetch(`${h.baseUrl}/api/campaigns/${draft.id}/variants/${draft.variants[0].id}/image`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: new Uint8Array(pngImage(600, 100)),
    })
    expect(res.status).toBe(200)
    return send('PATCH', `/api/campaigns/${draft.id}`, { draft: false })
  }
  const row = (c: any, name = c.name) =>
    [
      name,
      c.state,
      'sender',
      '',
      '',
      '',
      c.priority,
      'All employees',
      1,
      1,
      'https://example.com/offer',
      c.landingUrl,
      c.createdAt,
      c.updatedAt,
    ].join(',')

  it('exports the campaigns of the chosen state that match the search, formulas neutralised', async () => {
    const { page } = h
    const formula = await create('=HYPERLINK("x") sale', true, 5)
    const launch = await create('Autumn launch', true, 1)
    await create('Autumn draft', false, 0)
    expect(formula.state).toBe('active')
    expect(launch.landingUrl).toBe('https://example.com/offer?utm_source=signet')

    await h.go('/campaigns')
    await poll(count).toBe('3 of 3')
    await page.locator('#campaigns-state').selectOption('active')
    await poll(count).toBe('2 of 2')
    const active = await exportFrom(page.locator('#main'))
    expect(active.name).toBe('signet-campaigns.csv')
    // Sorted by priority as the list is; the leading = gets an apostrophe, the quotes are doubled.
    await page.getByRole('button', { name: 'Priority' }).click()
    const byPriority = await exportFrom(page.locator('#main'))
    expect(byPriority.lines).toEqual([header, row(launch), row(formula, `"'=HYPERLINK(""x"") sale"`)])
    expect(active.lines.slice(1).sort()).toEqual(byPriority.lines.slice(1).sort())

    // Search and state together: the draft is left out though it matches "autumn".
    await page.getByLabel('Search', { exact: true }).fill('autumn')
    await poll(count).toBe('1 of 1')
    expect((await exportFrom(page.locator('#main'))).lines).toEqual([header, row(launch)])
    await h.screenshot('table-exports-01-campaigns')
  })
})

describe('employees and departments', () => {
  it('exports the employees the search finds with their department and custom fields', async () => {
    const { page } = h
    const sales = await send('POST', '/api/departments', { name: 'Sales' })
    await send('PATCH', `/api/employees/${h.a.employee.id}`, {
      firstName: 'Erin',
      lastName: 'Lee',
      jobTitle: '+1 hotline lead',
      phone: '+49 30 1234',
      departmentId: sales.id,
      customFields: { linkedin: 'erin-lee' },
    })
    const erin = await send('GET', `/api/employees/${h.a.employee.id}`)

    await h.go('/employees')
    await poll(count).toBe('3 of 3')
    await page.getByLabel('Search', { exact: true }).fill('erin')
    await poll(count).toBe('1 of 1')
    const employees = await exportFrom(page.locator('#main .data-table'))
    expect(employees.name).toBe('signet-employees.csv')
    expect(employees.lines).toEqual([
      'email,first_name,last_name,role,job_title,department,phone,mobile,photo_url,own_signature_template,updated_at,custom.linkedin',
      `${h.a.employee.email},Erin,Lee,employee,'+1 hotline lead,Sales,'+49 30 1234,,,false,${erin.updatedAt},erin-lee`,
    ])

    // The department filter applies too: nobody else is in Sales.
    await page.getByLabel('Search', { exact: true }).fill('')
    await poll(count).toBe('3 of 3')
    await page.locator('#employees-department').selectOption(sales.id)
    await poll(count).toBe('1 of 1')
    const inSales = await exportFrom(page.locator('#main .data-table'))
    expect(inSales.lines.slice(1).map((l) => l.split(',')[0])).toEqual([h.a.employee.email])
    await h.screenshot('table-exports-02-employees')
  })

  it('exports the departments with their employee counts', async () => {
    const { page } = h
    await send('POST', '/api/departments', { name: 'Marketing; EMEA' })
    const departments = await send('GET', '/api/departments')
    const byName = (name: string) => departments.find((d: any) => d.name === name)
    await h.go('/employees')
    const section = page.locator('section[aria-labelledby="departments-title"]')
    await poll(() => section.locator('tr[data-department]').count()).toBe(2)
    const file = await exportFrom(section)
    expect(file.name).toBe('signet-departments.csv')
    const line = (d: any, name = d.name) => `${name},${d.employeeCount},false,${d.createdAt},${d.updatedAt}`
    expect(file.lines[0]).toBe('name,employees,own_signature_template,created_at,updated_at')
    expect(file.lines.slice(1).sort()).toEqual(
      [line(byName('Sales')), line(byName('Marketing; EMEA'), '"Marketing; EMEA"')].sort(),
    )
    expect(byName('Sales').employeeCount).toBe(1)
  })
})

describe('imports', () => {
  const upload = async (fileName: string, body: string) => {
    const res = await fetch(`${h.baseUrl}/api/imports?kind=contacts&fileName=${fileName}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body,
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }

  it('exports the import history the search finds, with the counts of each run', async () => {
    const { page } = h
    const applied = await upload('people-export.csv', 'email\nann@imports-e2e.com\nnot-an-email\n')
    const run = await send('POST', `/api/imports/${applied}/apply?wait=true`)
    expect(run.new).toBe(1)
    await upload('waiting-export.csv', 'email\nbo@imports-e2e.com\n')
    await upload('unrelated.csv', 'email\ncy@imports-e2e.com\n')
    const history = await send('GET', '/api/imports')
    const one = history.find((i: any) => i.fileName === 'people-export.csv')
    const waiting = history.find((i: any) => i.fileName === 'waiting-export.csv')

    await h.go('/imports')
    await poll(count).toBe('3 of 3')
    await page.getByLabel('Search', { exact: true }).fill('export')
    await poll(count).toBe('2 of 2')
    const file = await exportFrom(page.locator('#main'))
    expect(file.name).toBe('signet-imports.csv')
    // Newest first, as the list is sorted.
    // Who uploaded: the marketer, named by their email since they have no name.
    const by = h.a.marketer.email
    expect(one.createdBy.name).toBe(by)
    expect(await page.locator('#main tbody tr').first().textContent()).toContain(by)
    expect(file.lines).toEqual([
      'created_at,created_by,applied_at,undone_at,file_name,kind,source,mode,status,counted_by,rows,new,updated,unchanged,invalid,duplicates,deleted,restored,skipped,error',
      `${waiting.createdAt},${by},,,waiting-export.csv,contacts,file,${waiting.mode},uploaded,,,,,,,,,,,`,
      `${one.createdAt},${by},${one.appliedAt},,people-export.csv,contacts,file,${one.mode},applied,apply,2,1,0,0,1,0,0,0,0,`,
    ])
    await h.screenshot('table-exports-03-imports')
  })
})

describe('an account’s contacts', () => {
  it('exports the account’s contacts from the API’s export, searched', async () => {
    const { page } = h
    const account = await send('POST', '/api/accounts', { domain: 'detail-export-e2e.com', name: 'Detail' })
    await send('POST', '/api/contacts', { email: 'ann@detail-export-e2e.com', firstName: 'Ann' })
    await send('POST', '/api/contacts', { email: 'bob@detail-export-e2e.com', firstName: 'Bob' })
    await send('POST', '/api/contacts', { email: 'cat@elsewhere-export-e2e.com', firstName: 'Cat' })

    await h.go(`/accounts/${account.id}`)
    const section = page.locator('section[aria-labelledby="account-contacts-title"]')
    await poll(() => section.locator('.count').textContent()).toBe('2 of 2')
    let mark = requests.length
    const all = await exportFrom(section)
    expect(all.name).toBe('signet-account-contacts.csv')
    const [exported] = requests.slice(mark).filter((r) => r.url.pathname === '/api/contacts/export.csv')
    expect(exported!.url.searchParams.get('accountId')).toBe(account.id)
    // The API's own contact columns (its header is not this screen's to choose).
    const email = all.lines[0]!.replace(/^\ufeff/, '')
      .split(',')
      .indexOf('email')
    expect(email).toBeGreaterThanOrEqual(0)
    expect(all.lines.slice(1).map((l) => l.split(',')[email])).toEqual([
      'ann@detail-export-e2e.com',
      'bob@detail-export-e2e.com',
    ])

    await section.getByLabel('Search', { exact: true }).fill('bob')
    await poll(() => section.locator('.count').textContent()).toBe('1 of 1')
    mark = requests.length
    const searched = await exportFrom(section)
    expect(searched.lines.slice(1).map((l) => l.split(',')[email])).toEqual(['bob@detail-export-e2e.com'])
    const [again] = requests.slice(mark).filter((r) => r.url.pathname === '/api/contacts/export.csv')
    expect(again!.url.searchParams.get('q')).toBe('bob')
    await h.screenshot('table-exports-04-account-contacts')
  })
})

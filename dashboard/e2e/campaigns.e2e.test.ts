import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pngImage } from '../../api/src/campaigns/test-images.ts'
import { PASSWORD } from '../../api/test/helpers.ts'
import { type Harness, startHarness } from './harness.ts'

/**
 * The campaign side of the dashboard, one journey through it: a campaign with a banner for a
 * target group, the simulation that picks it, the signature template and the employees. Every
 * form gets one bad value first, which must show next to its field and change nothing.
 */

let h: Harness
let groupId: string
let salesId: string

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.a.marketer.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  expect(res.status, `${method} ${path}`).toBeLessThan(300)
  return res.status === 204 ? undefined : res.json()
}
const get = (path: string) => h.api(path, h.a.marketer.token)

beforeAll(async () => {
  h = await startHarness()
  // What the journey needs and other screens create: a target group with an account, a department.
  const group = await call('POST', '/api/target-groups', { name: 'Key accounts', kind: 'account' })
  groupId = group.id
  await call('POST', `/api/target-groups/${groupId}/members/add`, { domains: ['globex.com'] })
  salesId = (await call('POST', '/api/departments', { name: 'Sales' })).id
  await call('PATCH', `/api/employees/${h.a.employee.id}`, {
    firstName: 'Erika',
    lastName: 'Muster',
    jobTitle: 'Account manager',
    departmentId: salesId,
  })
  const { page } = h
  await page.goto(h.baseUrl)
  await page.getByLabel('Email').fill(h.a.marketer.email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
})

afterAll(async () => {
  await h?.close()
})

const fieldError = (name: string) => h.page.locator(`.field-error[data-field="${name}"]`)
const nav = (label: string) =>
  h.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label })
const frameText = (title: string) =>
  h.page.frameLocator(`iframe[title="${title}"]`).locator('body').innerText()

describe('campaigns', () => {
  it('creates a campaign for a target group, refusing bad values first', async () => {
    const { page } = h
    await nav('Campaigns').click()
    await expect.poll(() => page.getByText('No campaigns yet.').isVisible()).toBe(true)
    await h.screenshot('20-campaigns-empty')
    await page.getByRole('link', { name: 'New campaign' }).click()

    // The shared schema answers before anything is sent.
    await page.getByRole('button', { name: 'Create campaign' }).click()
    await expect.poll(() => fieldError('name').textContent()).toBe('Give the campaign a name.')
    await page.getByLabel('Name').fill('Webinar Q4')
    await page.getByLabel('Banner alt text').fill('Join our webinar on 12 December')
    await page.getByLabel('Campaign type').selectOption('receiver')
    await page.getByLabel(/Key accounts/).check()
    await page.getByLabel('Destination URL').fill('javascript:alert(1)')
    await page.getByRole('button', { name: 'Create campaign' }).click()
    await expect
      .poll(() => fieldError('destinationUrl').textContent())
      .toBe('Enter a web address starting with http:// or https://.')
    expect(await page.getByLabel('Destination URL').getAttribute('aria-invalid')).toBe('true')
    await page.getByLabel('Destination URL').fill('https://globex-events.test/webinar')
    await page.getByLabel('UTM source').fill('signature')
    await page.getByLabel('Priority').fill('5000')
    await page.getByRole('button', { name: 'Create campaign' }).click()
    await expect.poll(() => fieldError('priority').textContent()).toBe('Must be at most 1000.')
    await page.getByLabel('Priority').fill('10')
    // An end before the start is the API's refusal, shown next to the end.
    await page.getByLabel('Starts').fill('2030-06-01T09:00')
    await page.getByLabel('Ends').fill('2030-05-01T09:00')
    await page.getByRole('button', { name: 'Create campaign' }).click()
    await expect.poll(() => fieldError('endsAt').textContent()).toBe('The end must be after the start.')
    await h.screenshot('21-campaign-field-error')
    expect(await get('/api/campaigns')).toEqual([])

    await page.getByLabel('Starts').fill('')
    await page.getByLabel('Ends').fill('')
    await page.getByRole('button', { name: 'Create campaign' }).click()
    await expect.poll(() => page.getByText('The campaign is saved as a draft.').isVisible()).toBe(true)
    const [campaign] = await get('/api/campaigns')
    expect(campaign).toMatchObject({
      name: 'Webinar Q4',
      kind: 'receiver',
      targetGroupIds: [groupId],
      landingUrl: 'https://globex-events.test/webinar?utm_source=signature',
      priority: 10,
      state: 'draft',
    })
    expect(page.url()).toContain(`#/campaigns/${campaign.id}`)
  })

  it('uploads a banner, showing the API’s refusal of a wrong type or size, then publishes', async () => {
    const { page } = h
    const variantA = page.locator('[data-variant="A"]')
    // Publishing without a banner is refused by the API.
    await page.getByRole('button', { name: 'Publish' }).click()
    await expect
      .poll(() => page.locator('.form-error').textContent())
      .toBe('Upload a banner image before publishing the campaign.')

    const file = variantA.getByLabel('Banner image')
    await file.setInputFiles({
      name: 'banner.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not an image'),
    })
    await expect.poll(() => fieldError('image').textContent()).toBe('Upload a PNG, JPEG, GIF or WebP image.')
    await file.setInputFiles({
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.concat([pngImage(10, 10), Buffer.alloc(3 * 1024 * 1024)]),
    })
    await expect.poll(() => fieldError('image').textContent()).toBe('The banner image is larger than 2 MiB.')
    const [stillEmpty] = await get('/api/campaigns')
    expect(stillEmpty.variants[0].image).toBeNull()

    await file.setInputFiles({ name: 'banner.png', mimeType: 'image/png', buffer: pngImage(600, 100) })
    await expect.poll(() => variantA.getByText('PNG · 600×100 px').isVisible()).toBe(true)
    expect(await fieldError('image').count()).toBe(0)
    // The preview is the stored banner, served by the API.
    const preview = variantA.locator('.banner-preview img')
    expect(await preview.getAttribute('src')).toMatch(/\/b\/[0-9a-f-]{36}\/[0-9a-f]{16}$/)
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(600)
    expect(await preview.getAttribute('alt')).toBe('Join our webinar on 12 December')

    // A second variant for an A/B test: the alt text is required.
    await page.getByText('Add a variant for an A/B test').click()
    await page.getByRole('button', { name: 'Add variant' }).click()
    await expect
      .poll(() => page.locator('.field-error[data-field="altText"]').first().textContent())
      .toBe('Describe the banner in the alt text.')
    expect((await get('/api/campaigns'))[0].variants).toHaveLength(1)
    const addForm = page.locator('.add-variant')
    await addForm.getByLabel('Alt text').fill('Webinar, second design')
    await addForm.getByRole('button', { name: 'Add variant' }).click()
    await expect.poll(() => page.locator('[data-variant="B"]').count()).toBe(1)
    await expect.poll(() => variantA.textContent()).toContain('50% of recipients')
    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'Delete variant B' }).click()
    await expect.poll(() => page.locator('[data-variant="B"]').count()).toBe(0)

    // The settings form refuses a bad value the same way, and keeps the campaign as it was.
    const settings = page.locator('form[aria-labelledby="campaign-settings-title"]')
    await settings.getByLabel('Name').fill('')
    await settings.getByLabel('Destination URL').fill('https://elsewhere.test/')
    await settings.getByRole('button', { name: 'Save campaign' }).click()
    await expect.poll(() => fieldError('name').textContent()).toBe('Give the campaign a name.')
    expect((await get('/api/campaigns'))[0]).toMatchObject({
      name: 'Webinar Q4',
      destinationUrl: 'https://globex-events.test/webinar',
    })
    await settings.getByLabel('Name').fill('Webinar Q4')
    await settings.getByLabel('Destination URL').fill('https://globex-events.test/webinar')

    await page.getByRole('button', { name: 'Publish' }).click()
    await expect.poll(() => page.locator('h1 + .badge').textContent()).toBe('Active')
    await page.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => page.locator('h1 + .badge').textContent()).toBe('Paused')
    expect((await get('/api/campaigns'))[0].state).toBe('paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => page.locator('h1 + .badge').textContent()).toBe('Active')
    await h.screenshot('22-campaign-editor')

    await page.getByRole('link', { name: '← Campaigns' }).click()
    const row = page.locator('tr[data-campaign="Webinar Q4"]')
    await expect.poll(() => row.locator('.badge').textContent()).toBe('Active')
    await expect.poll(() => row.textContent()).toContain('Recipients in Key accounts')
    await page.getByLabel('State', { exact: true }).selectOption('paused')
    await expect.poll(() => page.getByText('No paused campaigns.').isVisible()).toBe(true)
    await page.getByLabel('State', { exact: true }).selectOption('')
    await expect.poll(() => row.count()).toBe(1)
    await h.screenshot('23-campaigns-list')
  })
})

describe('simulate', () => {
  it('shows that a recipient of the group gets the campaign, and why', async () => {
    const { page } = h
    await nav('Simulate').click()
    await page.getByLabel('Sender').selectOption({ label: 'Erika Muster (Sales)' })
    await page.getByLabel('To', { exact: true }).fill(`${'x'.repeat(400)}@globex.com`)
    await page.getByRole('button', { name: 'Simulate' }).click()
    await expect.poll(() => fieldError('to').textContent()).toBe('Line 1: Use at most 400 characters.')

    await page.getByLabel('To', { exact: true }).fill('Max Power <max@globex.com>')
    await page.getByLabel('Cc', { exact: true }).fill('colleague@unknown-corp.com')
    await page.getByRole('button', { name: 'Simulate' }).click()
    const explanation = page.getByTestId('explanation')
    await expect
      .poll(() => explanation.textContent())
      .toContain('globex.com is in target group Key accounts, which runs Webinar Q4.')
    expect(await page.getByTestId('campaign').textContent()).toBe('Webinar Q4 (receiver-based)')
    expect(await page.locator('tr[data-recipient="max@globex.com"]').textContent()).toContain(
      'Key accounts (account) → Webinar Q4',
    )
    // The signature is the API's HTML, in a frame that runs nothing.
    const frame = page.locator('iframe[title="Simulated signature"]')
    expect(await frame.getAttribute('sandbox')).not.toContain('allow-scripts')
    await expect.poll(() => frameText('Simulated signature')).toContain('Erika Muster')
    const banner = page.frameLocator('iframe[title="Simulated signature"]').locator('img')
    expect(await banner.getAttribute('alt')).toBe('Join our webinar on 12 December')
    // The untracked banner of a simulation, served by the API.
    expect(await banner.getAttribute('src')).toContain(`${h.baseUrl}/b/`)
    await expect.poll(() => banner.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(600)
    await h.screenshot('24-simulate')
  })
})

describe('signatures', () => {
  it('edits the template with a live preview, and makes it the default', async () => {
    const { page } = h
    await nav('Signatures').click()
    await expect.poll(() => page.getByText('No template yet').isVisible()).toBe(true)
    await page.getByLabel('Preview as').selectOption({ label: 'Erika Muster' })
    await page.getByLabel('HTML').fill('<p>{{firstName}} {{lastName}} – {{jobTitle}}</p>')
    await page.getByRole('button', { name: '{{department}}' }).click()
    await expect.poll(() => frameText('Signature preview')).toMatch(/Erika Muster – Account manager\s*Sales/)

    await page.getByRole('button', { name: 'Create template' }).click()
    await expect.poll(() => fieldError('name').textContent()).toBe('Give the template a name.')
    expect(await get('/api/signatures')).toEqual([])
    await h.screenshot('25-signature-field-error')

    await page.getByLabel('Template name').fill('Standard')
    await page
      .getByLabel('HTML')
      .fill('<p><b>{{firstName}} {{lastName}}</b> – {{jobTitle}}</p><script>alert(1)</script>{{banner}}')
    await page.getByLabel('Workspace default').check()
    await expect.poll(() => frameText('Signature preview')).toContain('Campaign banner')
    await page.getByRole('button', { name: 'Create template' }).click()
    await expect.poll(() => page.getByText('Template saved.').isVisible()).toBe(true)
    const [template] = await get('/api/signatures')
    expect(template).toMatchObject({ name: 'Standard', isDefault: true })
    expect(template.html).not.toContain('script')
    expect(page.url()).toContain(`#/signatures/${template.id}`)
    // The editor shows what the API kept.
    expect(await page.getByLabel('HTML').inputValue()).toBe(template.html)

    await page.getByLabel('Template of Sales').selectOption({ label: 'Standard' })
    await expect
      .poll(async () => (await get(`/api/departments/${salesId}`)).signatureTemplateId)
      .toBe(template.id)
    await h.screenshot('26-signatures')
  })
})

describe('employees', () => {
  it('manages departments and a profile, refusing a bad photo address', async () => {
    const { page } = h
    await nav('Employees').click()
    await expect.poll(() => page.locator('tr[data-department="Sales"]').textContent()).toContain('1')
    await page.getByLabel('New department').fill('Sales')
    await page.getByRole('button', { name: 'Add department' }).click()
    await expect
      .poll(() => fieldError('name').textContent())
      .toBe('A department with this name already exists.')
    expect(await get('/api/departments')).toHaveLength(1)
    await page.getByLabel('New department').fill('Marketing')
    await page.getByRole('button', { name: 'Add department' }).click()
    await expect.poll(() => page.locator('tr[data-department="Marketing"]').count()).toBe(1)

    await page.getByLabel('Department', { exact: true }).selectOption({ label: 'Sales' })
    await expect.poll(() => page.locator('tr[data-employee]').count()).toBe(1)
    await h.screenshot('27-employees')
    await page.getByRole('link', { name: 'Erika Muster' }).click()
    await expect.poll(() => page.getByLabel('Job title').inputValue()).toBe('Account manager')
    await expect.poll(() => frameText(`Signature of ${h.a.employee.email}`)).toContain('Account manager')

    await page.getByLabel('Photo URL').fill('ftp://photos.test/erika.jpg')
    await page.getByLabel('Job title').fill('Head of sales')
    await page.getByRole('button', { name: 'Save profile' }).click()
    await expect
      .poll(() => fieldError('photoUrl').textContent())
      .toBe('Enter a web address starting with https://.')
    await h.screenshot('28-employee-field-error')
    expect((await get(`/api/employees/${h.a.employee.id}`)).jobTitle).toBe('Account manager')

    await page.getByLabel('Photo URL').fill('https://photos.test/erika.jpg')
    await page.getByLabel('Custom fields').fill('linkedin: https://linkedin.test/in/erika')
    await page.getByRole('button', { name: 'Save profile' }).click()
    await expect.poll(() => page.getByText('Profile saved.').isVisible()).toBe(true)
    expect(await get(`/api/employees/${h.a.employee.id}`)).toMatchObject({
      jobTitle: 'Head of sales',
      photoUrl: 'https://photos.test/erika.jpg',
      customFields: { linkedin: 'https://linkedin.test/in/erika' },
    })
    await expect.poll(() => frameText(`Signature of ${h.a.employee.email}`)).toContain('Head of sales')
  })
})

describe('settings', () => {
  it('switches extension features off and chooses the client-signature mode', async () => {
    const { page } = h
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').fill(h.a.admin.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await nav('Settings').click()
    // No report yet, then the employee's extension reports detection failures in Gmail.
    await expect.poll(() => page.getByText('No extension has reported yet.').isVisible()).toBe(true)
    const report = await fetch(`${h.baseUrl}/api/extension/health`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.a.employee.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client: 'gmail',
        extensionVersion: '1.4.0',
        insertions: 12,
        detectionFailures: 3,
        lastError: 'The compose window has no recipient field.',
      }),
    })
    expect(report.status).toBe(204)
    await page.reload()
    const health = page.locator('section[aria-labelledby="extension-health-title"]')
    await expect
      .poll(() => health.getByRole('status').textContent())
      .toBe(
        '1 of 1 reports show problems in Gmail. If a mail client changed its page, switch the feature off above until the extension is updated.',
      )
    const row = health.locator('tbody tr')
    expect(await row.getAttribute('data-failing')).toBe('true')
    expect(await row.locator('td').allTextContents()).toEqual([
      h.a.employee.email,
      'Gmail',
      '1.4.0',
      '12',
      '3',
      'The compose window has no recipient field.',
      expect.any(String),
    ])
    await page.getByLabel('The mail client’s own signature').selectOption('replace')
    await page.getByLabel('Gmail').check()
    await page.getByLabel('Reporting sent emails').check()
    await page.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(() => page.getByText('Settings saved.').isVisible()).toBe(true)
    expect(await h.api('/api/workspace', h.a.admin.token)).toMatchObject({
      clientSignature: 'replace',
      disabledFeatures: ['gmail', 'report_sent'],
    })
    await h.screenshot('29-settings-extension')
  })
})

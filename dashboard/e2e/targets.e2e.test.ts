import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.ts'

// The targeting screens, as a marketer: one API server and one browser for the whole file.
let h: Harness
let token: string

beforeAll(async () => {
  h = await startHarness()
  token = h.a.marketer.token
  await h.signIn(token)
})

afterAll(async () => {
  await h?.close()
})

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 })
const fieldError = (name: string) => h.page.locator(`.field-error[data-field="${name}"]`)
const go = (route: string) => h.go(route)
const send = (method: string, path: string, json?: unknown) => h.send(method, path, token, json)

describe('import a CSV into a new target group', () => {
  it('creates the group, refuses a bad name, uploads, maps, dry-runs, applies and undoes', async () => {
    const { page } = h
    await go('/groups')
    await poll(() => page.getByRole('heading', { name: 'Target groups' }).isVisible()).toBe(true)
    await poll(() => page.getByText('No target groups yet.').isVisible()).toBe(true)
    const create = page.locator('form[aria-labelledby="new-group-title"]')
    await create.getByRole('button', { name: 'Create group' }).click()
    await poll(() => fieldError('name').textContent()).toBe('This field cannot be empty.')
    expect(await send('GET', '/api/target-groups')).toEqual([])

    await create.getByLabel('Name').fill('Webinar guests')
    await create.getByRole('button', { name: 'Create group' }).click()
    await poll(() => page.getByRole('heading', { name: 'Webinar guests' }).isVisible()).toBe(true)
    await h.screenshot('targets-01-group-empty')

    await page.getByRole('link', { name: 'Import contacts into this group' }).click()
    await poll(() => page.getByRole('heading', { name: 'New import' }).isVisible()).toBe(true)
    const groupId = (await send('GET', '/api/target-groups'))[0].id
    await poll(() => page.getByLabel('Into target group').inputValue()).toBe(groupId)
    // No file yet: the field says so and nothing is uploaded.
    await page.getByRole('button', { name: 'Upload and preview' }).click()
    await poll(() => fieldError('file').textContent()).toBe('Choose a CSV file to upload.')
    expect(await send('GET', '/api/imports')).toEqual([])

    const csv = [
      'E-Mail;Vorname;Nachname;Lieblingsfarbe',
      'max@acme-e2e.com;Max;Muster;grün',
      'not-an-email;X;Y;rot',
      'MAX@acme-e2e.com;Maximilian;Muster;blau',
      'Erika Beta <erika@beta-e2e.com>;;;gelb',
    ].join('\r\n')
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'gaeste.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${csv}\r\n`),
    })
    await page.getByRole('button', { name: 'Upload and preview' }).click()
    await poll(() => page.getByRole('heading', { name: /Import of contacts: gaeste.csv/ }).isVisible()).toBe(
      true,
    )
    const column = (name: string) => page.getByLabel(`Field for column ${name}`)
    expect(await column('E-Mail').inputValue()).toBe('email')
    expect(await column('Vorname').inputValue()).toBe('firstName')
    expect(await column('Lieblingsfarbe').inputValue()).toBe('')
    await h.screenshot('targets-02-import-mapping')

    // Without an email column the API refuses the mapping; the import stays as it was.
    await column('E-Mail').selectOption('')
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click()
    await poll(() => fieldError('mapping').textContent()).toBe(
      'Map a column to "email": it identifies each contact.',
    )
    const [job] = await send('GET', '/api/imports')
    expect(job).toMatchObject({ status: 'uploaded', mapping: ['email', 'firstName', 'lastName', null] })

    await column('E-Mail').selectOption('email')
    await column('Lieblingsfarbe').selectOption('custom.Lieblingsfarbe')
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click()
    await poll(() => page.getByRole('heading', { name: 'Dry run: what applying would do' }).isVisible()).toBe(
      true,
    )
    const count = (label: string) => page.locator(`[data-count="${label}"] strong`).textContent()
    expect(await count('New')).toBe('2')
    expect(await count('Invalid')).toBe('1')
    expect(await count('Duplicates in the file')).toBe('1')
    expect(await count('Joining the group')).toBe('2')
    await poll(() => page.locator('tr[data-line="3"]').textContent()).toContain(
      'Enter a valid email address, such as max@acme.com.',
    )
    expect((await send('GET', '/api/contacts')).total).toBe(0)
    await h.screenshot('targets-03-import-dry-run')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download rejected rows (CSV)' }).click(),
    ])
    const rejected = await readFile((await download.path())!, 'utf8')
    expect(rejected).toContain('not-an-email')
    expect(rejected).toContain('Same email as line 2.')

    await page.getByRole('button', { name: 'Apply: 2 rows' }).click()
    await poll(() => page.getByRole('heading', { name: 'Result' }).isVisible()).toBe(true)
    expect(await page.locator('[data-status]').textContent()).toBe('Applied')
    expect((await send('GET', `/api/target-groups/${groupId}`)).memberCount).toBe(2)
    const max = (await send('GET', '/api/contacts?q=max@acme-e2e.com')).items[0]
    expect(max).toMatchObject({ firstName: 'Max', customFields: { Lieblingsfarbe: 'grün' } })
    await h.screenshot('targets-04-import-applied')

    await page.getByRole('link', { name: 'group', exact: true }).click()
    await poll(() => page.locator('tr[data-member]').count()).toBe(2)
    await h.screenshot('targets-05-group-members')

    // Blacklisted since the import: the undo leaves Max as he is now, and says so.
    await send('POST', `/api/contacts/${max.id}/actions/blacklist`, { reason: 'Asked at the desk' })
    await page.goto(`${h.baseUrl}/#/imports/${job.id}`)
    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'Undo this import' }).click()
    await poll(() => page.locator('[data-status]').textContent()).toBe('Undone')
    expect(await page.locator('.notice').last().textContent()).toBe(
      'This import was undone; what it changed is back as it was, except one contact changed since, left as it is now: max@acme-e2e.com.',
    )
    expect((await send('GET', `/api/target-groups/${groupId}`)).memberCount).toBe(1)
    expect((await send('GET', '/api/contacts')).items.map((c: { email: string }) => c.email)).toEqual([
      'max@acme-e2e.com',
    ])
    // The journeys below start from an empty workspace again.
    await send('DELETE', `/api/contacts/${max.id}`)
    await send('POST', `/api/contacts/${max.id}/erase`)
    await page.getByRole('link', { name: '← Imports' }).click()
    await poll(() => page.locator('#main table').textContent()).toContain('gaeste.csv')
    await h.screenshot('targets-06-import-history')
  })

  it('adds members by pasting, refusing a bad line without changing anything', async () => {
    const { page } = h
    const [group] = await send('GET', '/api/target-groups')
    await go(`/groups/${group.id}`)
    const paste = page.getByLabel('Email addresses')
    await paste.fill('eva@paste-e2e.com\nnot an email')
    await page.getByRole('button', { name: 'Add to group' }).click()
    await poll(() => fieldError('emails').textContent()).toBe(
      'Line 2: Enter a valid email address, such as max@acme.com.',
    )
    expect((await send('GET', `/api/target-groups/${group.id}`)).memberCount).toBe(0)
    await paste.fill('eva@paste-e2e.com\nJo Paste <jo@paste-e2e.com>')
    await page.getByRole('button', { name: 'Add to group' }).click()
    await poll(() => page.locator('.notice').first().textContent()).toBe(
      'Added 2 contacts (2 new contacts created).',
    )
    await poll(() => page.locator('tr[data-member]').count()).toBe(2)
  })
})

describe('synchronise a group with a CSV file', () => {
  it('presets the mode and shows who leaves before applying', async () => {
    const { page } = h
    const [group] = await send('GET', '/api/target-groups')
    await go(`/groups/${group.id}`)
    await page.getByRole('link', { name: 'Synchronise with a CSV' }).click()
    await poll(() =>
      page.getByRole('heading', { name: 'Synchronise a target group with a CSV file' }).isVisible(),
    ).toBe(true)
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'sync.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email\neva@paste-e2e.com\nnew@sync-e2e.com\n'),
    })
    await page.getByRole('button', { name: 'Upload and preview' }).click()
    await poll(() => page.getByLabel('Mode', { exact: true }).inputValue()).toBe('synchronise')
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click()
    const count = (label: string) => page.locator(`[data-count="${label}"] strong`).textContent()
    await poll(() => count('Leaving the group')).toBe('1')
    expect(await count('Joining the group')).toBe('1')
    await page.getByRole('button', { name: 'Apply: 2 rows' }).click()
    await poll(() => page.locator('[data-status]').textContent()).toBe('Applied')
    const members = await send('GET', `/api/target-groups/${group.id}/members?sort=name`)
    expect(members.items.map((m: any) => m.email).sort()).toEqual(['eva@paste-e2e.com', 'new@sync-e2e.com'])
    // Leaving the group is not being deleted.
    expect((await send('GET', '/api/contacts?q=jo@paste-e2e.com')).total).toBe(1)
  })
})

describe('contacts and accounts', () => {
  it('refuses bad values in the create forms and changes nothing', async () => {
    const { page } = h
    const before = (await send('GET', '/api/contacts')).total
    await go('/contacts')
    await page.locator('summary', { hasText: 'Add a contact' }).click()
    const form = page.locator('form[aria-labelledby="new-contact-title"]')
    await form.getByLabel('Email').fill('not-an-email')
    await form.getByRole('button', { name: 'Add contact' }).click()
    await poll(() => fieldError('email').textContent()).toBe(
      'Enter a valid email address, such as max@acme.com.',
    )
    await form.getByLabel('Email').fill('lena@gamma-e2e.com')
    await form.getByLabel('Phone').fill('12')
    await form.getByRole('button', { name: 'Add contact' }).click()
    await poll(() => fieldError('phone').textContent()).toBe(
      'Enter a valid phone number; use the +country code for numbers outside Germany.',
    )
    await h.screenshot('targets-07-contact-field-error')
    expect((await send('GET', '/api/contacts')).total).toBe(before)
    await form.getByLabel('Phone').fill('030 1234567')
    await form.getByLabel('Labels').fill('vip, webinar')
    await form.getByRole('button', { name: 'Add contact' }).click()
    await poll(() => page.locator('tr[data-contact="lena@gamma-e2e.com"]').count()).toBe(1)
    expect((await send('GET', '/api/contacts?q=lena@gamma-e2e.com')).items[0]).toMatchObject({
      phone: '+49301234567',
      labels: ['vip', 'webinar'],
    })

    await go('/accounts')
    await page.locator('summary', { hasText: 'Add an account' }).click()
    const account = page.locator('form[aria-labelledby="new-account-title"]')
    await account.getByLabel('Domain', { exact: true }).fill('gmail.com')
    await account.getByRole('button', { name: 'Add account' }).click()
    await poll(() => fieldError('domain').textContent()).toBe(
      'gmail.com is a free-mail or internet-provider domain and cannot be an account.',
    )
    const accountsBefore = (await send('GET', '/api/accounts')).total
    await account.getByLabel('Domain', { exact: true }).fill('https://www.Gamma-E2E.com/about')
    await account.getByLabel('Company name').fill('Gamma GmbH')
    await account.getByRole('button', { name: 'Add account' }).click()
    await poll(() => page.locator('tr[data-account="gamma-e2e.com"]').count()).toBe(1)
    expect((await send('GET', '/api/accounts')).total).toBe(accountsBefore + 1)
    await h.screenshot('targets-08-accounts')
  })

  it('edits a contact inline, refuses a bad phone, and runs one-click actions', async () => {
    const { page } = h
    const lena = (await send('GET', '/api/contacts?q=lena@gamma-e2e.com')).items[0]
    await go(`/contacts/${lena.id}`)
    const details = page.locator('form[aria-labelledby="contact-details-title"]')
    await poll(() => details.getByLabel('First name').isVisible()).toBe(true)
    await details.getByLabel('Phone').fill('abc')
    await details.getByLabel('Job title').fill('CTO')
    await details.getByRole('button', { name: 'Save contact' }).click()
    await poll(() => fieldError('phone').textContent()).toBe(
      'Enter a valid phone number; use the +country code for numbers outside Germany.',
    )
    expect((await send('GET', `/api/contacts/${lena.id}`)).jobTitle).toBeNull()
    await details.getByLabel('Phone').fill('+49 30 1234567')
    await details.getByRole('button', { name: 'Save contact' }).click()
    await poll(() => page.getByText('Contact saved.').isVisible()).toBe(true)
    expect((await send('GET', `/api/contacts/${lena.id}`)).jobTitle).toBe('CTO')

    // Custom fields: a name that is only spaces is refused; a real one is saved.
    await page.getByRole('button', { name: 'Add custom field' }).click()
    await page.getByLabel('Name of custom field 1').fill('   ')
    await page.getByLabel('Value of custom field 1').fill('x')
    await page.getByRole('button', { name: 'Save custom fields' }).click()
    await poll(() => fieldError('customFields').isVisible()).toBe(true)
    expect((await send('GET', `/api/contacts/${lena.id}`)).customFields).toEqual({})
    await page.getByLabel('Name of custom field 1').fill('linkedin')
    await page.getByRole('button', { name: 'Save custom fields' }).click()
    await poll(() => page.getByText('Custom fields saved.').isVisible()).toBe(true)
    expect((await send('GET', `/api/contacts/${lena.id}`)).customFields).toEqual({ linkedin: 'x' })

    await page.getByRole('button', { name: `Blacklist: ${lena.email}` }).click()
    await poll(() => page.locator('.badge-blacklisted').isVisible()).toBe(true)
    await page.getByRole('button', { name: `Opt out of tracking: ${lena.email}` }).click()
    await poll(() => page.getByText('opted out', { exact: true }).isVisible()).toBe(true)
    // Created, blacklisted, then opted out of tracking (the status stays).
    await poll(() => page.locator('section[aria-labelledby="history-title"] tbody tr').count()).toBe(3)
    const history = await page.locator('section[aria-labelledby="history-title"] tbody').textContent()
    expect(history).toContain('Active → Blacklisted')
    expect(history).toContain('Blacklisted, unchanged')
    expect(await send('GET', `/api/contacts/${lena.id}`)).toMatchObject({ status: 'blacklisted' })
    await h.screenshot('targets-09-contact-detail')

    // The account page shows the contact of its domain, and refuses a free-mail alias.
    await page.getByRole('link', { name: 'gamma-e2e.com' }).click()
    await poll(() => page.getByRole('heading', { name: /Gamma GmbH/ }).isVisible()).toBe(true)
    await poll(() => page.locator('#account-contacts-search').isVisible()).toBe(true)
    await poll(() => page.getByRole('link', { name: lena.email }).isVisible()).toBe(true)
    await page.getByLabel('Add a domain').fill('web.de')
    await page.getByRole('button', { name: 'Add domain' }).click()
    await poll(() => fieldError('domain').textContent()).toBe(
      'web.de is a free-mail or internet-provider domain and cannot be an account.',
    )
    await page.getByLabel('Add a domain').fill('gamma-e2e.de')
    await page.getByRole('button', { name: 'Add domain' }).click()
    await poll(() => page.getByRole('button', { name: 'Remove gamma-e2e.de' }).isVisible()).toBe(true)
    await h.screenshot('targets-10-account-detail')
  })

  it('filters with smart search and saves the filter as a segment', async () => {
    const { page } = h
    await go('/contacts')
    await page.locator('summary', { hasText: 'Smart search' }).click()
    const smart = page.locator('section[aria-labelledby="contact-smart-title"]')
    await smart.getByRole('button', { name: 'Add condition' }).click()
    await smart.getByLabel('Condition on').selectOption('labels')
    await smart.getByRole('button', { name: 'Apply filter' }).click()
    // A labels condition without labels: the shared schema's message, at the condition.
    await poll(() => smart.locator('.field-error').textContent()).toBe('Give at least 1 item.')
    await smart.getByLabel('Labels, comma-separated').fill('vip')
    await smart.getByRole('button', { name: 'Apply filter' }).click()
    await poll(() => page.locator('#main .count').textContent()).toBe('1 of 1')
    expect(await page.locator('tr[data-contact]').getAttribute('data-contact')).toBe('lena@gamma-e2e.com')
    await poll(() => smart.getByText('1 contact match this filter.').isVisible()).toBe(true)

    await smart.getByRole('button', { name: 'Save segment' }).click()
    await poll(() => fieldError('name').textContent()).toBe('This field cannot be empty.')
    expect(await send('GET', '/api/segments')).toEqual([])
    await smart.getByLabel('Save this filter as a segment named').fill('VIPs')
    await smart.getByRole('button', { name: 'Save segment' }).click()
    await poll(() => smart.locator('.notice').textContent()).toContain(
      'Segment VIPs saved; it matches 1 contact now.',
    )
    await h.screenshot('targets-11-smart-search')
    const [segment] = await send('GET', '/api/segments')
    expect(segment).toMatchObject({
      name: 'VIPs',
      kind: 'contact',
      count: 1,
      filter: { combinator: 'and', conditions: [{ type: 'labels', op: 'any', values: ['vip'] }] },
    })

    await go('/segments')
    await poll(() => page.locator('tr[data-segment="VIPs"]').textContent()).toContain('1')
    await h.screenshot('targets-12-segments')
    await page.getByRole('link', { name: 'VIPs' }).click()
    await poll(() => page.getByRole('link', { name: 'lena@gamma-e2e.com' }).isVisible()).toBe(true)
    await h.screenshot('targets-13-segment-detail')
  })

  it('runs bulk actions on ticked contacts', async () => {
    const { page } = h
    await go('/contacts')
    await page.getByLabel('Search', { exact: true }).fill('paste-e2e')
    await poll(() => page.locator('#main .count').textContent()).toBe('2 of 2')
    await page.getByLabel('Select all shown').check()
    await poll(() => page.getByText('2 selected').isVisible()).toBe(true)
    await page.locator('#contacts-bulk-label').fill('x'.repeat(51))
    await page.getByRole('button', { name: 'Add label' }).click()
    await poll(() => fieldError('bulk-label').textContent()).toBe('Use at most 50 characters.')
    await page.locator('#contacts-bulk-label').fill('pasted')
    await page.getByRole('button', { name: 'Add label' }).click()
    await poll(() => page.locator('.notice').first().textContent()).toBe('Labelled 2 contacts “pasted”.')
    const labelled = await send('GET', '/api/contacts?label=pasted')
    expect(labelled.total).toBe(2)
    await h.screenshot('targets-14-contacts-bulk')
  })
})

describe('the remaining forms refuse bad values and change nothing', () => {
  it('account details, group settings and the segment form', async () => {
    const { page } = h
    const gamma = (await send('GET', '/api/accounts?q=gamma-e2e.com')).items[0]
    await go(`/accounts/${gamma.id}`)
    const details = page.locator('form[aria-labelledby="account-details-title"]')
    await details.getByLabel('Domain').fill('outlook.com')
    await details.getByLabel('Industry').fill('Software')
    await details.getByRole('button', { name: 'Save account' }).click()
    await poll(() => fieldError('domain').textContent()).toBe(
      'outlook.com is a free-mail or internet-provider domain and cannot be an account.',
    )
    expect(await send('GET', `/api/accounts/${gamma.id}`)).toMatchObject({
      domain: 'gamma-e2e.com',
      industry: null,
    })

    const [group] = await send('GET', '/api/target-groups')
    await go(`/groups/${group.id}`)
    const settings = page.locator('form[aria-labelledby="group-settings-title"]')
    await settings.getByLabel('Name').fill('   ')
    await settings.getByRole('button', { name: 'Save group' }).click()
    await poll(() => fieldError('name').textContent()).toBe('This field cannot be empty.')
    expect((await send('GET', `/api/target-groups/${group.id}`)).name).toBe(group.name)

    const [segment] = await send('GET', '/api/segments')
    await go(`/segments/${segment.id}`)
    await page.getByRole('button', { name: 'Add condition' }).click()
    const condition = page.locator('[data-condition="filter-conditions.1"]')
    await condition.getByLabel('Condition on').selectOption('field:createdAt')
    expect(await condition.getByLabel('Comparison').inputValue()).toBe('after')
    await page.getByRole('button', { name: 'Save segment' }).click()
    // The schema lets an empty date through; the API's compiler names the condition's value.
    await poll(() => condition.locator('.field-error').textContent()).toBe('Give a value to compare with.')
    expect((await send('GET', `/api/segments/${segment.id}`)).filter.conditions).toHaveLength(1)
    await h.screenshot('targets-17-segment-field-error')
  })
})

describe('duplicates and deleted', () => {
  it('merges duplicates keeping the earlier record', async () => {
    const { page } = h
    const first = await send('POST', '/api/contacts', {
      email: 'max.muster+news@googlemail.com',
      labels: ['a'],
    })
    const second = await send('POST', '/api/contacts', { email: 'maxmuster@gmail.com', labels: ['b'] })
    await go('/duplicates')
    const group = page.locator('[data-duplicates="maxmuster@gmail.com"]')
    await poll(() => group.isVisible()).toBe(true)
    expect(await page.getByRole('tab', { name: /Same email/ }).textContent()).toBe('Same email (1)')
    await h.screenshot('targets-15-duplicates')
    await group.getByRole('button', { name: 'Merge, keep the earliest' }).click()
    await poll(() => page.getByText('No duplicates by email.').isVisible()).toBe(true)
    expect(await page.locator('.notice').textContent()).toContain(`into ${first.email}`)
    const kept = await send('GET', `/api/contacts/${first.id}`)
    expect(kept.labels.sort()).toEqual(['a', 'b'])
    expect((await send('GET', `/api/contacts/${second.id}`)).error.code).toBe('not_found')
  })

  it('removes all duplicates at once, keeping the latest record of each', async () => {
    const { page } = h
    for (const email of ['ida@all-dupes.de', 'ida+1@all-dupes.de', 'j.o@gmail.com', 'jo@googlemail.com'])
      await send('POST', '/api/contacts', { email })
    await go('/duplicates')
    await poll(() => page.getByRole('tab', { name: /Same email/ }).textContent()).toBe('Same email (2)')
    await page.getByLabel('Keep the record created').selectOption('later')
    const questions: string[] = []
    page.once('dialog', (d) => {
      questions.push(d.message())
      void d.accept()
    })
    await page.getByRole('button', { name: 'Remove all duplicates' }).click()
    await poll(() => page.getByText('No duplicates by email.').isVisible()).toBe(true)
    expect(questions).toEqual([
      'Merge all 2 groups of duplicates by email, keeping the latest record of each? The others go to Deleted with reason “merged”.',
    ])
    expect(await page.locator('.notice').textContent()).toBe(
      'Merged 2 groups: 2 contacts went to Deleted with reason “merged”.',
    )
    const left = (await send('GET', '/api/contacts?q=all-dupes.de')).items.map(
      (c: { email: string }) => c.email,
    )
    expect(left).toEqual(['ida+1@all-dupes.de'])
    expect((await send('GET', '/api/contacts?q=jo@googlemail.com')).total).toBe(1)
  })

  it('restores a deleted contact; declining the erase changes nothing', async () => {
    const { page } = h
    const lena = (await send('GET', '/api/contacts?q=lena@gamma-e2e.com')).items[0]
    await go(`/contacts/${lena.id}`)
    page.once('dialog', (dialog) => dialog.accept('Left the company'))
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await poll(() => page.getByRole('heading', { name: 'Contacts', exact: true }).isVisible()).toBe(true)
    expect((await send('GET', `/api/contacts/${lena.id}`)).error.code).toBe('not_found')

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deleted' }).click()
    const row = page.locator(`tr[data-deleted="${lena.email}"]`)
    await poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain('Left the company')
    await poll(() => page.locator('tr[data-deleted="maxmuster@gmail.com"]').textContent()).toContain('merged')
    await h.screenshot('targets-16-deleted')
    // The deleted blacklisted contacts only: Lena was blacklisted before she was deleted.
    // Each status says how many deleted contacts have it.
    const blacklisted = page.getByLabel('Status').locator('option[value="blacklisted"]')
    await poll(() => blacklisted.textContent()).toMatch(/^Blacklisted \(\d+\)$/)
    const deletedBlacklisted = (await send('GET', '/api/contacts/deleted?status=blacklisted')).total
    expect(await blacklisted.textContent()).toBe(`Blacklisted (${deletedBlacklisted})`)
    await page.getByLabel('Status').selectOption('blacklisted')
    await poll(() => page.locator('tr[data-deleted="maxmuster@gmail.com"]').count()).toBe(0)
    await poll(() => row.count()).toBe(1)
    await page.getByLabel('Status').selectOption({ label: 'Any status' })
    await poll(() => page.locator('tr[data-deleted="maxmuster@gmail.com"]').count()).toBe(1)
    page.once('dialog', (dialog) => dialog.dismiss())
    await page.getByRole('button', { name: `Erase ${lena.email}` }).click()
    expect((await send('GET', '/api/contacts/deleted')).items.map((c: any) => c.email)).toContain(lena.email)

    await page.getByRole('button', { name: `Restore ${lena.email}` }).click()
    await poll(() => row.count()).toBe(0)
    expect(await send('GET', `/api/contacts/${lena.id}`)).toMatchObject({
      email: lena.email,
      deletedAt: null,
    })
    await poll(() => page.locator('.notice').textContent()).toBe(`${lena.email} is restored.`)
  })
})

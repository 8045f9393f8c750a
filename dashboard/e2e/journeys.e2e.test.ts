import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD } from '../../api/test/helpers.ts'
import { type Harness, startHarness } from './harness.ts'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.close()
})

const fieldError = (name: string) => h.page.locator(`.field-error[data-field="${name}"]`)

async function signIn(email: string, password: string) {
  const { page } = h
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('dashboard journeys', () => {
  it('serves the dashboard and refuses a wrong password', async () => {
    const { page } = h
    await page.goto(h.baseUrl)
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Signet' }).isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => fieldError('email').textContent()).toBe('Enter a valid email address.')
    await signIn(h.a.admin.email, 'not the password')
    await expect
      .poll(() => page.locator('.form-error').textContent())
      .toBe('The email or password is not correct.')
    await h.screenshot('01-sign-in-error')
  })

  it('signs an admin in and shows the admin navigation', async () => {
    const { page } = h
    await signIn(h.a.admin.email, PASSWORD)
    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect
      .poll(() => nav.getByRole('link').allTextContents())
      .toEqual(['My signature', 'Users', 'Settings', 'Statistics', 'Feed', 'Leads'])
    await expect.poll(() => page.locator('.facts').textContent()).toContain(h.a.admin.email)
    expect(await page.evaluate(() => localStorage.getItem('signet.token'))).toMatch(/\S{20,}/)
    await h.screenshot('02-my-signature-admin')
  })

  it('creates a user with an invitation, refuses bad input and changes the role', async () => {
    const { page } = h
    // 24 more people than the three of the workspace: two pages of 25.
    for (let i = 1; i <= 24; i++) {
      const email = `person${String(i).padStart(2, '0')}@acme.test`
      await fetch(`${h.baseUrl}/api/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.a.admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email, role: 'employee' }),
      })
    }
    await page.getByRole('link', { name: 'Users' }).click()
    await expect.poll(() => page.locator('tr[data-user]').count()).toBe(25)
    await expect.poll(() => page.locator('.count').textContent()).toBe('25 of 27')
    await page.getByRole('button', { name: 'Load more' }).click()
    await expect.poll(() => page.locator('tr[data-user]').count()).toBe(27)
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0)

    // Sorted by name, A→Z, then Z→A from the header.
    const firstRow = () => page.locator('tr[data-user]').first().getAttribute('data-user')
    await expect.poll(firstRow).toBe(h.a.admin.email)
    await page.getByRole('button', { name: /^Name/ }).click()
    await expect.poll(firstRow).toBe('person24@acme.test')
    expect(await page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending')

    await page.getByLabel('Search').fill('person0')
    await expect.poll(() => page.locator('.count').textContent()).toBe('9 of 9')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const csv = await readFile((await download.path())!, 'utf8')
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toBe('email,first_name,last_name,role,status,last_sign_in_at,created_at')
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(
      Array.from({ length: 9 }, (_, i) => `person0${i + 1}@acme.test`),
    )
    await page.getByLabel('Search').fill('')
    await expect.poll(() => page.locator('.count').textContent()).toBe('25 of 27')
    await page.getByRole('button', { name: /^Name/ }).click()
    await expect.poll(firstRow).toBe(h.a.admin.email)

    // A bad email never reaches the API: the shared schema answers next to the field.
    const form = page.locator('form[aria-labelledby="new-user-title"]')
    await form.getByLabel('Email').fill('not-an-email')
    await form.getByRole('button', { name: 'Add user' }).click()
    await expect.poll(() => fieldError('email').textContent()).toBe('Enter a valid email address.')
    expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true')
    // A taken email is the API's field error, shown in the same place.
    await form.getByLabel('Email').fill(h.a.marketer.email)
    await form.getByRole('button', { name: 'Add user' }).click()
    await expect.poll(() => fieldError('email').textContent()).toBe('A user with this email already exists.')
    // A short password is the shared schema's message.
    await form.getByLabel('Email').fill('new.person@acme.test')
    await form.getByLabel('Password (optional)').fill('short')
    await form.getByRole('button', { name: 'Add user' }).click()
    await expect
      .poll(() => fieldError('password').textContent())
      .toBe('Use at least 10 characters for the password.')
    await h.screenshot('03-users-field-error')
    expect(await h.api('/api/users', h.a.admin.token)).toHaveLength(27)

    await form.getByLabel('Password (optional)').fill('')
    await form.getByLabel('First name').fill('Nina')
    await form.getByLabel('Last name').fill('Neu')
    await form.getByLabel('Role').selectOption('employee')
    await form.getByRole('button', { name: 'Add user' }).click()
    const link = page.getByLabel('Invitation link').first()
    await expect.poll(() => link.inputValue()).toMatch(/#\/accept-invitation\?token=\S+$/)
    await expect
      .poll(() => page.locator('tr[data-user="new.person@acme.test"]').textContent())
      .toContain('invited')
    await h.screenshot('04-users-invited')

    await page.getByLabel('Role of new.person@acme.test').selectOption('marketer')
    await expect
      .poll(
        async () =>
          (await h.api('/api/users', h.a.admin.token)).find((u: any) => u.email === 'new.person@acme.test')
            ?.role,
      )
      .toBe('marketer')

    // The last admin cannot be demoted: the API's refusal shows in the row and nothing changes.
    await page.getByLabel(`Role of ${h.a.admin.email}`).selectOption('employee')
    await expect
      .poll(() => page.locator(`tr[data-user="${h.a.admin.email}"] .field-error`).textContent())
      .toBe('The workspace needs at least one admin. Make someone else admin first.')
    const admin = (await h.api('/api/users', h.a.admin.token)).find((u: any) => u.email === h.a.admin.email)
    expect(admin.role).toBe('admin')
    await h.screenshot('05-users-last-admin')
  })

  it('re-invites, disables and deletes users', async () => {
    const { page } = h
    const users = async () => (await h.api('/api/users', h.a.admin.token)) as any[]
    const row = (email: string) => page.locator(`tr[data-user="${email}"]`)

    await page.getByRole('button', { name: 'Done' }).click()
    expect(await page.getByLabel('Invitation link').count()).toBe(0)
    await row('new.person@acme.test').getByRole('button', { name: 'Re-invite' }).click()
    await expect
      .poll(() => page.getByLabel('Invitation link').inputValue())
      .toMatch(/accept-invitation\?token=sgi_/)

    await row(h.a.employee.email).getByRole('button', { name: 'Disable' }).click()
    await expect.poll(() => row(h.a.employee.email).locator('.badge').textContent()).toBe('disabled')
    expect((await users()).find((u) => u.email === h.a.employee.email).status).toBe('disabled')
    await row(h.a.employee.email).getByRole('button', { name: 'Enable' }).click()
    await expect.poll(() => row(h.a.employee.email).locator('.badge').textContent()).toBe('active')

    // Declining the confirmation changes nothing; accepting it deletes.
    page.once('dialog', (dialog) => dialog.dismiss())
    await page.getByRole('button', { name: 'Delete person01@acme.test' }).click()
    expect((await users()).some((u) => u.email === 'person01@acme.test')).toBe(true)
    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'Delete person01@acme.test' }).click()
    await expect.poll(() => row('person01@acme.test').count()).toBe(0)
    expect((await users()).some((u) => u.email === 'person01@acme.test')).toBe(false)
    expect(
      await row(h.a.admin.email)
        .getByRole('button', { name: /Delete|Disable/ })
        .count(),
    ).toBe(0)
    await h.screenshot('06-users-after-actions')
  })

  it('changes the workspace settings and refuses a bad domain', async () => {
    const { page } = h
    await page.getByRole('link', { name: 'Settings' }).click()
    const name = page.getByLabel('Workspace name')
    await expect.poll(() => name.inputValue()).toBe('Acme Marketing')
    await name.fill('Acme Growth')
    await page.getByLabel('Internal domains').fill('acme.com\nnot a domain')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await expect
      .poll(() => fieldError('internalDomains').textContent())
      .toBe('Line 2: Enter a domain such as acme.com.')
    await h.screenshot('07-settings-field-error')
    const before = await h.api('/api/workspace', h.a.admin.token)
    expect(before).toMatchObject({ name: 'Acme Marketing', internalDomains: [] })

    await page.getByLabel('Internal domains').fill('acme.com\nACME.de')
    await page.getByLabel('Tracking').selectOption('identified')
    await page.getByLabel('Several recipients').selectOption('first_to')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(() => page.getByText('Settings saved.').isVisible()).toBe(true)
    expect(await h.api('/api/workspace', h.a.admin.token)).toMatchObject({
      name: 'Acme Growth',
      internalDomains: ['acme.com', 'acme.de'],
      trackingTier: 'identified',
      multiRecipientPolicy: 'first_to',
    })
    await expect.poll(() => page.locator('.who').textContent()).toContain('Acme Growth')
    await h.screenshot('08-settings-saved')
  })

  it('signs out, and shows an employee only their own page', async () => {
    const { page } = h
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect.poll(() => page.getByText('You are signed out.').isVisible()).toBe(true)
    expect(await page.evaluate(() => localStorage.getItem('signet.token'))).toBeNull()

    await signIn(h.a.employee.email, PASSWORD)
    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['My signature'])
    await expect.poll(() => page.locator('.facts').textContent()).toContain(h.a.employee.email)
    await h.screenshot('09-employee')
    await page.goto(`${h.baseUrl}/#/users`)
    await expect.poll(() => page.locator('.state-error').textContent()).toContain('your role cannot open it')
  })

  it('shows a marketer the settings read-only', async () => {
    const { page } = h
    await page.getByRole('button', { name: 'Sign out' }).click()
    await signIn(h.a.marketer.email, PASSWORD)
    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect
      .poll(() => nav.getByRole('link').allTextContents())
      .toEqual(['My signature', 'Settings', 'Statistics', 'Feed', 'Leads'])
    await nav.getByRole('link', { name: 'Settings' }).click()
    await expect.poll(() => page.getByLabel('Workspace name').inputValue()).toBe('Acme Growth')
    expect(await page.getByLabel('Workspace name').isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0)
    expect(await page.locator('.notice').textContent()).toBe(
      'Only an admin can change these settings; you can read them.',
    )
    await h.screenshot('10-settings-marketer')
  })

  it('lets an invited person choose a password and sign in', async () => {
    const { page } = h
    const invited = await fetch(`${h.baseUrl}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.a.admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ivy@acme.test', role: 'marketer' }),
    }).then((r) => r.json() as Promise<any>)
    await page.goto(`${h.baseUrl}/#/accept-invitation?token=${invited.invitation.token}`)
    await page.getByLabel('New password').fill('short')
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await expect
      .poll(() => fieldError('password').textContent())
      .toBe('Use at least 10 characters for the password.')
    await page.getByLabel('New password').fill('a long enough password')
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await expect.poll(() => page.locator('.who').textContent()).toContain('ivy@acme.test')
    await h.screenshot('11-invitation-accepted')
  })
})

describe('an ended session', () => {
  it('sends the user back to sign-in with a sentence saying why', async () => {
    const { page } = h
    const token = await page.evaluate(() => localStorage.getItem('signet.token'))
    const res = await fetch(`${h.baseUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBeLessThan(300)
    await page.reload()
    await expect
      .poll(() => page.getByText('Your session has ended. Please sign in again.').isVisible())
      .toBe(true)
    expect(await page.evaluate(() => localStorage.getItem('signet.token'))).toBeNull()
  })
})

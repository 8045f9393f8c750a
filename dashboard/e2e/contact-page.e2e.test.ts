import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.ts'

// A contact's page: who changed its status, and its consent to per-person tracking, recorded and withdrawn;
// and the contacts list's one-click status actions, which ask why.
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

describe('the contact page', () => {
  it('keeps why and by whom the status changed, records consent with how it was given, then withdraws it', async () => {
    const { page } = h
    const contact = await h.send('POST', '/api/contacts', token, {
      email: 'erika@consent-example.com',
      firstName: 'Erika',
    })
    expect(contact.id, JSON.stringify(contact)).toEqual(expect.any(String))
    await h.go(`/contacts/${contact.id}`)
    // A one-click action with a reason, then an admin's change: the history names reason and who.
    await page.getByLabel('Reason for the status change').fill('Asked at the fair')
    await page.getByRole('button', { name: `Unsubscribe: ${contact.email}` }).click()
    await poll(() => page.locator('.badge').first().textContent()).toBe('unsubscribed')
    await h.send('POST', `/api/contacts/${contact.id}/actions/blacklist`, h.a.admin.token, {
      reason: 'Complained',
    })
    await page.reload()
    const history = page.locator('section[aria-labelledby="history-title"] tbody tr')
    await poll(() => history.count()).toBe(3)
    const row = (i: number) => history.nth(i).locator('td').allTextContents()
    expect(await row(0)).toEqual([
      expect.any(String),
      'Unsubscribed → Blacklisted',
      'Complained',
      h.a.admin.email,
    ])
    expect(await row(1)).toEqual([expect.any(String), 'Active → Unsubscribed', 'Asked at the fair', 'you'])
    expect(await row(2)).toEqual([expect.any(String), 'Active', 'Created', 'you'])
    const card = page.locator('form[aria-labelledby="consent-title"]')
    await poll(() => card.getByTestId('consent-state').textContent()).toBe(
      'Not recorded: in the identified tracking tier this contact is counted without a per-person history.',
    )
    // Too long a note is refused next to its field, and nothing is recorded.
    await card.getByLabel('How it was given').fill('x'.repeat(201))
    await card.getByRole('button', { name: 'Record consent' }).click()
    await poll(() => card.locator('.field-error').textContent()).toBe('Use at most 200 characters.')
    expect((await h.api(`/api/contacts/${contact.id}`, token)).consent.given).toBe(false)

    await card.getByLabel('How it was given').fill('Web form')
    await card.getByRole('button', { name: 'Record consent' }).click()
    await poll(() => card.getByTestId('consent-state').textContent()).toMatch(/^Given .+ \(Web form\)\.$/)
    expect((await h.api(`/api/contacts/${contact.id}`, token)).consent).toMatchObject({
      given: true,
      method: 'Web form',
    })
    await h.screenshot('consent-recorded')

    await card.getByRole('button', { name: 'Withdraw consent' }).click()
    await poll(() => card.getByRole('button', { name: 'Record consent' }).isVisible()).toBe(true)
    expect((await h.api(`/api/contacts/${contact.id}`, token)).consent).toEqual({
      given: false,
      at: null,
      method: null,
    })

    // Opting out of tracking changes no status; the history keeps it with its reason all the same.
    await page.getByLabel('Reason for the status change').fill('Asked by email')
    await page.getByRole('button', { name: `Opt out of tracking: ${contact.email}` }).click()
    await poll(() => history.count()).toBe(4)
    expect(await row(0)).toEqual([
      expect.any(String),
      'Blacklisted, unchanged',
      'Opted out of tracking: Asked by email',
      'you',
    ])
  })
})

describe('the contacts list’s one-click actions', () => {
  it('ask for the reason in a dialog, keep it in the status history, and change nothing when cancelled', async () => {
    const { page } = h
    const contact = await h.send('POST', '/api/contacts', token, { email: 'otto@row-actions-example.com' })
    expect(contact.id, JSON.stringify(contact)).toEqual(expect.any(String))
    await h.go('/contacts')
    const row = page.locator(`tr[data-contact="${contact.email}"]`)
    const questions: string[] = []

    // Cancelled: the contact stays as it was.
    page.once('dialog', (d) => {
      questions.push(d.message())
      void d.dismiss()
    })
    await row.getByRole('button', { name: `Blacklist: ${contact.email}` }).click()
    await poll(() => questions.length).toBe(1)
    expect(questions[0]).toBe(
      `Blacklist ${contact.email}?\n\nReason (optional, kept in the contact’s status history):`,
    )
    expect((await h.api(`/api/contacts/${contact.id}`, token)).status).toBe('active')

    page.once('dialog', (d) => {
      questions.push(d.message())
      void d.accept('Asked by phone')
    })
    await row.getByRole('button', { name: `Unsubscribe: ${contact.email}` }).click()
    await poll(() => page.locator('.notice').first().textContent()).toBe(
      `${contact.email} is now unsubscribed.`,
    )
    expect(questions[1]).toMatch(/^Unsubscribe otto@row-actions-example\.com\?/)
    const history = await h.api(`/api/contacts/${contact.id}/status-history`, token)
    expect(history[0]).toMatchObject({ from: 'active', to: 'unsubscribed', reason: 'Asked by phone' })
    await h.screenshot('contacts-row-action-reason')
  })
})

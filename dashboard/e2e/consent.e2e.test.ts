import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.ts'

// A contact's page: who changed its status, and its consent to per-person tracking, recorded and withdrawn.
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

describe('consent on the contact page', () => {
  it('records consent with how it was given, then withdraws it', async () => {
    const { page } = h
    const contact = await h.send('POST', '/api/contacts', token, {
      email: 'erika@consent-example.com',
      firstName: 'Erika',
    })
    expect(contact.id, JSON.stringify(contact)).toEqual(expect.any(String))
    await h.send('POST', `/api/contacts/${contact.id}/actions/blacklist`, h.a.admin.token, {
      reason: 'Asked us to stop',
    })
    await h.go(`/contacts/${contact.id}`)
    // The status history names who made each change: the admin by name (here the email), you as "you".
    const history = page.locator('section[aria-labelledby="history-title"] tbody tr')
    await poll(() => history.count()).toBe(2)
    expect(await history.nth(0).locator('td').allTextContents()).toEqual([
      expect.any(String),
      'Active → Blacklisted',
      'Asked us to stop',
      h.a.admin.email,
    ])
    expect(await history.nth(1).locator('td').last().textContent()).toBe('you')
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
  })
})

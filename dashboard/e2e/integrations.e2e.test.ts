import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeHubSpot, startFakeHubSpot } from '../../api/test/fake-hubspot.ts'
import { PASSWORD } from '../../api/test/helpers.ts'
import { type Harness, startHarness } from './harness.ts'

/** A marketer connects HubSpot (a local fake of its API), links a group, runs it and reads the history. */
let h: Harness
let hs: FakeHubSpot

beforeAll(async () => {
  h = await startHarness()
  hs = await startFakeHubSpot()
  hs.addContact('1', { email: 'ada@engines.example.com', firstname: 'Ada', lastname: 'Lovelace' })
  hs.addContact('2', { email: 'grace@navy.example.com', firstname: 'Grace', lastname: 'Hopper' })
  hs.addContact('3', { email: 'not an email' })
  hs.setList('42', 'Conference leads', ['1', '2', '3'])
  await fetch(`${h.baseUrl}/api/target-groups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.a.marketer.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Conference 2026', kind: 'contact' }),
  })
})

afterAll(async () => {
  await hs?.close()
  await h?.close()
})

describe('the Integrations screen', () => {
  it('connects HubSpot, refusing a wrong token first, and never shows the token', async () => {
    const { page } = h
    await page.goto(h.baseUrl)
    await page.getByLabel('Email').fill(h.a.marketer.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'Integrations' }).click()
    await page.getByLabel('Private app access token').fill('pat-na1-not-the-token')
    await page.getByLabel('API address').fill(hs.url)
    await page.getByRole('button', { name: 'Connect HubSpot' }).click()
    await expect
      .poll(() => page.locator('.field-error[data-field="token"]').textContent())
      .toMatch(/HubSpot refused the access token/)
    await page.getByLabel('Private app access token').fill(hs.token)
    await page.getByRole('button', { name: 'Connect HubSpot' }).click()
    await expect.poll(() => page.getByTestId('hubspot-connection').textContent()).toContain('ending …0001')
    expect(await page.content()).not.toContain(hs.token)
    await h.screenshot('integrations-01-connected')
  })

  it('links a group to a list, runs it and shows the report in the history', async () => {
    const { page } = h
    await page.getByLabel('Contact target group').selectOption({ label: 'Conference 2026' })
    await page
      .getByLabel('HubSpot list', { exact: true })
      .selectOption({ label: 'Conference leads (3 contacts)' })
    await page.getByRole('button', { name: 'Link and synchronise' }).click()
    const row = page.locator('tr[data-group="Conference 2026"]')
    await expect.poll(() => row.textContent()).toContain('Conference leads')
    await row.getByRole('button', { name: 'Run now' }).click()
    await expect
      .poll(() => row.getByTestId('last-run').textContent())
      .toMatch(/2 new, 0 updated, 0 left, 1 invalid/)
    await row.getByRole('button', { name: 'History' }).click()
    const run = page.locator('tr[data-run="applied"]')
    await expect.poll(() => run.count()).toBe(1)
    await run.getByText('Invalid contacts').click()
    await expect.poll(() => run.textContent()).toContain('Member 3: email')
    await h.screenshot('integrations-02-history')
    const members = await h.api(
      `/api/target-groups/${(await h.api('/api/integrations/hubspot/links', h.a.marketer.token))[0].targetGroupId}/members`,
      h.a.marketer.token,
    )
    expect(members.items.map((c: { email: string }) => c.email).sort()).toEqual([
      'ada@engines.example.com',
      'grace@navy.example.com',
    ])
  })

  it('reports a revoked token and pauses the schedule', async () => {
    const { page } = h
    hs.token = 'pat-na1-rotated-0002'
    const row = page.locator('tr[data-group="Conference 2026"]')
    await row.getByRole('button', { name: 'Run now' }).click()
    await expect.poll(() => row.getByTestId('last-run').textContent()).toMatch(/failed/)
    await page.reload()
    await expect.poll(() => page.getByTestId('hubspot-connection').textContent()).toContain('failing')
    await expect
      .poll(() => page.locator('.notice-error').first().textContent())
      .toMatch(/refused the access token/)
    await expect
      .poll(() => page.locator('tr[data-group="Conference 2026"]').textContent())
      .toContain('paused')
    await h.screenshot('integrations-03-failing')
  })
})

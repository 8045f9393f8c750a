import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccountId } from '../../api/src/db/schema.ts'
import { statsFixtures } from '../../api/src/stats/fixture-queries.ts'
import { refreshRollups } from '../../api/src/stats/rollup.ts'
import { PASSWORD } from '../../api/test/helpers.ts'
import { type Harness, startHarness } from './harness.ts'

let h: Harness
let f: ReturnType<typeof statsFixtures>
let acme: AccountId
let beta: AccountId
let delivery: Awaited<ReturnType<ReturnType<typeof statsFixtures>['delivery']>>

const daysAgo = (days: number, hour = 10) => {
  const d = new Date(Date.now() - days * 86_400_000)
  d.setUTCHours(hour, 0, 0, 0)
  return d.toISOString()
}

beforeAll(async () => {
  h = await startHarness()
  f = statsFixtures(h.db, h.a.id)
  await f.setTier('identified')
  const webinar = await f.campaign('Spring webinar')
  const fair = await f.campaign('Trade fair')
  acme = await f.account('acme-industries.com', 'Acme Industries')
  beta = await f.account('beta-logistics.com', 'Beta Logistics')
  delivery = await f.delivery(webinar, h.a.employee.id, { accounts: [acme] })
  const toBeta = await f.delivery(fair, h.a.marketer.id, { accounts: [beta] })
  const toLead = await f.delivery(webinar, h.a.employee.id, {
    leadDomains: ['leadcorp.com'],
    leadEmails: ['pia@leadcorp.com'],
  })
  for (const [d, day] of [
    [delivery, 6],
    [toBeta, 4],
    [toLead, 2],
  ] as const) {
    await f.event(d, 'sent', daysAgo(day, 9))
    await f.event(d, 'view', daysAgo(day, 10))
    await f.event(d, 'click', daysAgo(day, 11))
  }
  await f.event(delivery, 'click', daysAgo(3, 12))
  await f.event(toBeta, 'click', daysAgo(3, 13), 'scanner_network:microsoft')
  await refreshRollups(h.db)
})

afterAll(async () => {
  await h?.close()
})

const figure = (name: string) => h.page.locator(`[data-figure="${name}"]`).textContent()

/** A checkbox sits beside its words on one line, not stretched over a line of its own above them. */
const expectBesideItsLabel = async (name: string) => {
  const box = await h.page.getByLabel(name).boundingBox()
  const label = await h.page.locator('label', { hasText: name }).boundingBox()
  expect(box!.width).toBeLessThan(30)
  expect(label!.height).toBeLessThan(30)
}

describe('statistics journeys', () => {
  it('sees the workspace overview, human and raw, and exports a breakdown', async () => {
    const { page } = h
    await page.goto(h.baseUrl)
    await page.getByLabel('Email').fill(h.a.marketer.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'Statistics' }).click()
    await expect.poll(() => figure('sent')).toBe('3')
    expect(await figure('clicks')).toBe('4')
    expect(await figure('click-rate')).toBe('133.3 %')
    // Raw beside human: one click came from a machine.
    expect(await figure('clicks-other')).toBe('5 with machines')
    expect(await figure('click-rate-other')).toBe('166.7 % with machines')
    await expect.poll(() => page.locator('.chart canvas').count()).toBeGreaterThan(0)
    await expectBesideItsLabel('Include machine events (raw)')
    const accounts = page.locator('[data-table="top-accounts"] tbody tr')
    await expect.poll(() => accounts.allTextContents()).toHaveLength(2)
    expect(await accounts.first().textContent()).toContain('Acme Industries')
    await h.screenshot('10-statistics-overview')

    await page.getByLabel('Include machine events (raw)').check()
    await expect.poll(() => figure('clicks')).toBe('5')
    expect(await figure('clicks-other')).toBe('4 human')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('section:has([data-table="top-campaigns"])')
        .getByRole('button', { name: 'Export CSV' })
        .click(),
    ])
    const csv = await readFile((await download.path())!, 'utf8')
    expect(csv.trim().split('\r\n')).toEqual([
      'Name,Sent,Views,Clicks,Click rate',
      'Spring webinar,2,2,3,1.5',
      'Trade fair,1,1,2,2',
    ])
  })

  it('opens an account’s statistics with its campaigns and last clicks', async () => {
    const { page } = h
    await page.getByLabel('Include machine events (raw)').uncheck()
    await page.locator('[data-table="top-accounts"]').getByRole('link', { name: 'Acme Industries' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Account')
    await expect.poll(() => figure('sent')).toBe('1')
    expect(await figure('clicks')).toBe('2')
    const clicks = page.locator('[data-table="last-clicks"] tbody tr')
    await expect.poll(() => clicks.count()).toBe(2)
    expect(await clicks.first().textContent()).toContain('Spring webinar')
    expect(await page.locator('[data-table="top-campaigns"] tbody tr').count()).toBe(1)
    await h.screenshot('11-statistics-account')
    // On to the campaign: its variants side by side, for an A/B test.
    await page.locator('[data-table="top-campaigns"]').getByRole('link', { name: 'Spring webinar' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Campaign')
    const variants = page.locator('[data-table="top-variants"] tbody tr')
    await expect.poll(() => variants.count()).toBe(1)
    expect(await variants.first().locator('td').first().textContent()).toBe('Spring webinar · A')
  })

  it('follows the performance feed live', async () => {
    const { page } = h
    await page.getByRole('link', { name: 'Feed' }).click()
    await expect.poll(() => page.locator('[data-live]').getAttribute('data-live')).toBe('live')
    await expectBesideItsLabel('Show machine events')
    const rows = page.locator('[data-table="feed"] tbody tr')
    await expect.poll(() => rows.count()).toBe(10)
    await f.event(delivery, 'click', new Date().toISOString())
    await expect.poll(() => rows.count(), { timeout: 8_000 }).toBe(11)
    expect(await rows.first().textContent()).toContain('Clicked')
    expect(await rows.first().textContent()).toContain('Acme Industries')
    // An email to two companies names each on its own line, and a machine's click says why.
    const webinar = { campaignId: delivery.campaign_id, variantId: delivery.variant_id }
    const toBoth = await f.delivery(webinar, h.a.employee.id, { accounts: [acme, beta] })
    await f.event(toBoth, 'click', new Date().toISOString())
    await expect.poll(() => rows.count(), { timeout: 8_000 }).toBe(12)
    const recipient = rows.first().locator('td').nth(3)
    expect(await recipient.locator('div').allInnerTexts()).toEqual(['Acme Industries', 'Beta Logistics'])
    await page.getByLabel('Show machine events').check()
    const machine = page.locator('[data-table="feed"] tbody tr', { hasText: 'Machine:' })
    await expect.poll(() => machine.count()).toBe(1)
    expect(await machine.locator('td').nth(1).innerText()).toBe(
      'Clicked\nMachine: Came from the network of a mail security scanner (Microsoft).',
    )
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('section:has([data-table="feed"])').getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const csv = await readFile((await download.path())!, 'utf8')
    expect(csv).toContain(
      ',Clicked (machine: Came from the network of a mail security scanner (Microsoft).),',
    )
    expect(csv).toContain(',"Acme Industries; Beta Logistics",')
    await h.screenshot('12-feed-live')
  })

  it('adds a lead as an account, its clicks then in its statistics', async () => {
    const { page } = h
    await page.getByRole('link', { name: 'Leads' }).click()
    await expect
      .poll(() => page.locator('[data-table="leads-accounts"] tbody tr').allTextContents())
      .toHaveLength(1)
    await h.screenshot('13-leads')
    await page.getByRole('button', { name: 'Add leadcorp.com' }).click()
    await expect.poll(() => page.locator('.notice').textContent()).toContain('leadcorp.com is now an account')
    await page.locator('.notice').getByRole('link', { name: 'statistics' }).click()
    await expect.poll(() => figure('clicks')).toBe('1')
    expect(await figure('sent')).toBe('1')
  })

  it('adds a person who clicked as a contact once it is said how they consented', async () => {
    const { page } = h
    await page.getByRole('link', { name: 'Leads' }).click()
    await page.getByRole('tab', { name: 'People (by email)' }).click()
    const questions: string[] = []
    // Cancelled: no contact is made.
    page.once('dialog', (d) => {
      questions.push(d.message())
      void d.dismiss()
    })
    await page.getByRole('button', { name: 'Add pia@leadcorp.com' }).click()
    await expect.poll(() => questions.length).toBe(1)
    expect(questions[0]).toBe(
      'pia@leadcorp.com’s past clicks become their personal history, which is kept only with their consent.\n\nHow did they consent to be tracked?',
    )
    expect((await h.api('/api/contacts?q=pia%40leadcorp.com', h.a.marketer.token)).total).toBe(0)

    page.once('dialog', (d) => void d.accept('Badge scanned at the trade fair'))
    await page.getByRole('button', { name: 'Add pia@leadcorp.com' }).click()
    await expect
      .poll(() => page.locator('.notice').textContent())
      .toContain('pia@leadcorp.com is now a contact')
    const [pia] = (await h.api('/api/contacts?q=pia%40leadcorp.com', h.a.marketer.token)).items
    expect(pia.consent).toMatchObject({ given: true, method: 'Badge scanned at the trade fair' })
    await page.locator('.notice').getByRole('link', { name: 'statistics' }).click()
    await expect.poll(() => figure('clicks')).toBe('1')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.ts'

// Activity conditions in the segment builder, as a marketer: viewed or clicked, a campaign or any,
// within N days — built in the browser, and saved ones (from the API) shown as they are.
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
const go = (route: string) => h.go(route)
const send = (method: string, path: string, json?: unknown) => h.send(method, path, token, json)

describe('activity conditions in the segment builder', () => {
  it('builds one, saves it, and shows it again after a reload', async () => {
    const { page } = h
    const webinar = await send('POST', '/api/campaigns', {
      name: 'Webinar Q4',
      destinationUrl: 'https://example.com/webinar',
      altText: 'Join the webinar',
    })
    await send('POST', '/api/campaigns', {
      name: 'Trade fair',
      destinationUrl: 'https://example.com/fair',
      altText: 'Meet us at the fair',
    })
    expect(webinar.id).toBeTruthy()

    await go('/segments')
    await poll(() => page.getByRole('heading', { name: 'Segments', exact: true }).isVisible()).toBe(true)
    const form = page.locator('form[aria-labelledby="new-segment-title"]')
    await form.getByLabel('Name').fill('Webinar viewers')
    await form.getByRole('button', { name: 'Add condition' }).click()
    const condition = form.locator('[data-condition="filter-conditions.0"]')
    await condition.getByLabel('Condition on').selectOption('activity')
    // A new activity condition: any click within 30 days.
    expect(await condition.getByLabel('Activity').inputValue()).toBe('clicked')
    expect(await condition.getByLabel('Campaign').inputValue()).toBe('')
    expect(await condition.getByLabel('Within days').inputValue()).toBe('30')
    await poll(() => condition.getByLabel('Campaign').locator('option').allTextContents()).toEqual([
      'any campaign',
      'Trade fair',
      'Webinar Q4',
    ])
    await condition.getByLabel('Activity').selectOption('viewed')
    await condition.getByLabel('Campaign').selectOption({ label: 'Webinar Q4' })
    await condition.getByLabel('Within days').fill('0')
    await form.getByRole('button', { name: 'Save segment' }).click()
    // Zero days: the shared schema refuses it before anything is sent, and nothing is saved.
    await poll(() => form.locator('.form-error').textContent()).toBe('Must be at least 1.')
    expect(await send('GET', '/api/segments')).toEqual([])

    await condition.getByLabel('Within days').fill('14')
    await form.getByRole('button', { name: 'Save segment' }).click()
    await poll(() => page.getByRole('heading', { name: 'Webinar viewers' }).isVisible()).toBe(true)
    const [segment] = await send('GET', '/api/segments')
    expect(segment.filter).toEqual({
      type: 'group',
      combinator: 'and',
      conditions: [{ type: 'activity', action: 'viewed', campaignId: webinar.id, withinDays: 14 }],
    })

    await page.reload()
    const saved = page.locator('[data-condition="filter-conditions.0"]')
    await poll(() => saved.getByLabel('Condition on').inputValue()).toBe('activity')
    expect(await saved.getByLabel('Activity').inputValue()).toBe('viewed')
    await poll(() => saved.getByLabel('Campaign').inputValue()).toBe(webinar.id)
    expect(await saved.getByLabel('Within days').inputValue()).toBe('14')
    await h.screenshot('segment-activity-01-saved')
  })

  it('shows an activity condition saved through the API, on any campaign, for accounts too', async () => {
    const { page } = h
    const segment = await send('POST', '/api/segments', {
      name: 'Recent clickers',
      kind: 'account',
      filter: {
        type: 'group',
        combinator: 'or',
        conditions: [{ type: 'activity', action: 'clicked', withinDays: 7 }],
      },
    })
    expect(segment.id).toBeTruthy()
    await go(`/segments/${segment.id}`)
    const row = page.locator('[data-condition="filter-conditions.0"]')
    await poll(() => row.getByLabel('Condition on').inputValue()).toBe('activity')
    expect(await row.getByLabel('Condition on').locator('option:checked').textContent()).toBe(
      'Activity (viewed or clicked)',
    )
    expect(await row.getByLabel('Activity').inputValue()).toBe('clicked')
    expect(await row.getByLabel('Campaign').inputValue()).toBe('')
    expect(await row.getByLabel('Within days').inputValue()).toBe('7')
  })
})

import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { pngImage } from '../src/campaigns/test-images.ts'
import type { DeliveryId, UserId } from '../src/db/schema.ts'
import { statsFixtures } from '../src/stats/fixture-queries.ts'
import { insertCampaignFixture, insertDeliveryFixture } from '../src/tracking/fixture-queries.ts'
import { type FakeHubSpot, startFakeHubSpot } from './fake-hubspot.ts'
import type { RequestOptions, TestContext } from './helpers.ts'

/**
 * The tenant sweep's registry: for every path parameter of the API, how to create the object it
 * names in workspace A, and how A sees that object (so the sweep can prove a request from workspace
 * B changed nothing). Keyed by the path up to the parameter(s) the entry fills, or by a whole route
 * path where the route needs the object in a particular state; the sweep uses the longest key a
 * route's path starts with.
 */
export interface Fixture {
  /** The path parameters naming an object of workspace A. */
  params: Record<string, string>
  /** A's view of the object, compared before and after B's request. */
  snapshot: () => Promise<unknown>
  /** A's user who may call the routes under this key (A's admin when not given). */
  ownerToken?: string
}

export type FixtureFactory = (t: TestContext) => Promise<Fixture>

const unique = () => randomBytes(4).toString('hex')

async function create(t: TestContext, path: string, json: unknown, token = t.a.admin.token) {
  const res = await t.request('POST', path, { token, json })
  expect(res.status, `${path}: ${res.text}`).toBe(201)
  return res.body
}

/** A's view through the API: one or more GETs as A's admin (or the given user). */
function viewOf(t: TestContext, paths: string[], token = t.a.admin.token) {
  return async () => {
    const views = []
    for (const path of paths) {
      const res = await t.request('GET', path, { token })
      views.push({ path, status: res.status, body: res.body })
    }
    return views
  }
}

async function account(t: TestContext) {
  return create(t, '/api/accounts', { domain: `acme-${unique()}.com`, name: 'Acme' })
}

async function campaign(t: TestContext) {
  return create(t, '/api/campaigns', {
    name: 'Webinar',
    destinationUrl: 'https://acme.example/webinar',
    altText: 'Join our webinar',
  })
}

/** An object deleted (restorable) by A, for the restore and erase routes. */
function deleted(kind: 'accounts' | 'contacts'): FixtureFactory {
  return async (t) => {
    const { params } = await FIXTURES[`/api/${kind}/{id}`]!(t)
    const res = await t.request('DELETE', `/api/${kind}/${params.id}`, { token: t.a.admin.token })
    expect(res.status).toBe(204)
    return { params, snapshot: viewOf(t, [`/api/${kind}/${params.id}`, `/api/${kind}/deleted?limit=100`]) }
  }
}

/** Waits until none of A's imports is still being checked or applied in the background. */
async function importsSettled(t: TestContext) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const res = await t.request('GET', '/api/imports', { token: t.a.admin.token })
    expect(res.status).toBe(200)
    const running = res.body.filter((i: { status: string }) => ['checking', 'applying'].includes(i.status))
    if (running.length === 0) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error("A's imports are still running after 5 seconds")
}

/** One fake HubSpot for the whole sweep, started on first use. */
let hubspot: Promise<FakeHubSpot> | undefined

export const FIXTURES: Record<string, FixtureFactory> = {
  '/api/users/{id}': async (t) => {
    const { user } = await create(t, '/api/users', { email: `new-${unique()}@a.com`, role: 'marketer' })
    return { params: { id: user.id }, snapshot: viewOf(t, [`/api/users/${user.id}`]) }
  },
  // No route shows a user's invitations: the user's status reads "invited" before and after a new
  // one (a user without a password is always invited). A's view adds the invitation rows, which B
  // would have added to — and B would have got the token to choose the user's password.
  '/api/users/{id}/invitation': async (t) => {
    const { params, snapshot } = await FIXTURES['/api/users/{id}']!(t)
    const invitations = () =>
      t.db
        .selectFrom('invitation')
        .selectAll()
        .where('user_id', '=', params.id as UserId)
        .orderBy('id')
        .execute()
    return { params, snapshot: async () => [await snapshot(), await invitations()] }
  },
  '/api/accounts/{id}': async (t) => {
    const { id } = await account(t)
    return { params: { id }, snapshot: viewOf(t, [`/api/accounts/${id}`]) }
  },
  '/api/accounts/{id}/aliases/{domain}': async (t) => {
    const { id } = await account(t)
    const domain = `alias-${unique()}.com`
    const res = await t.request('POST', `/api/accounts/${id}/aliases`, {
      token: t.a.admin.token,
      json: { domain },
    })
    expect(res.status).toBeLessThan(300)
    return { params: { id, domain }, snapshot: viewOf(t, [`/api/accounts/${id}`]) }
  },
  '/api/contacts/{id}': async (t) => {
    const { id } = await create(t, '/api/contacts', { email: `anna-${unique()}@acme.com`, firstName: 'Anna' })
    return {
      params: { id },
      snapshot: viewOf(t, [`/api/contacts/${id}`, `/api/contacts/${id}/status-history`]),
    }
  },
  '/api/accounts/{id}/restore': deleted('accounts'),
  '/api/accounts/{id}/erase': deleted('accounts'),
  '/api/contacts/{id}/restore': deleted('contacts'),
  '/api/contacts/{id}/erase': deleted('contacts'),
  '/api/contacts/{id}/actions/{action}': async (t) => {
    const { params, snapshot } = await FIXTURES['/api/contacts/{id}']!(t)
    return { params: { ...params, action: 'blacklist' }, snapshot }
  },
  '/api/segments/{id}': async (t) => {
    const { id } = await create(t, '/api/segments', {
      name: 'Fair visitors',
      kind: 'contact',
      filter: {
        type: 'group',
        combinator: 'and',
        conditions: [{ type: 'labels', op: 'any', values: ['fair'] }],
      },
    })
    return { params: { id }, snapshot: viewOf(t, [`/api/segments/${id}`]) }
  },
  '/api/target-groups/{id}': async (t) => {
    const { id } = await create(t, '/api/target-groups', { name: 'Key accounts', kind: 'contact' })
    const added = await t.request('POST', `/api/target-groups/${id}/members/add`, {
      token: t.a.admin.token,
      json: { emails: ['member@acme.com'] },
    })
    expect(added.status).toBe(200)
    return {
      params: { id },
      snapshot: viewOf(t, [`/api/target-groups/${id}`, `/api/target-groups/${id}/members`]),
    }
  },
  '/api/imports/{id}': async (t) => {
    const email = `imported-${unique()}@acme.com`
    const res = await t.request('POST', '/api/imports?kind=contacts&fileName=a.csv', {
      token: t.a.admin.token,
      body: `email,first name\n${email},Ina\n`,
      headers: { 'content-type': 'text/csv' },
    })
    expect(res.status).toBe(201)
    const { id } = res.body
    // Only this import's contact: A's own dry runs and applies of earlier cases run in the
    // background (202) and may still be adding theirs.
    return {
      params: { id },
      snapshot: viewOf(t, [`/api/imports/${id}`, `/api/contacts?q=${encodeURIComponent(email)}`]),
    }
  },
  // Applied, so undoing it has something to restore. Only the newest applied import can be undone,
  // so A's runs still going in the background from earlier cases must end first.
  '/api/imports/{id}/undo': async (t) => {
    const fixture = await FIXTURES['/api/imports/{id}']!(t)
    await importsSettled(t)
    const applied = await t.request('POST', `/api/imports/${fixture.params.id}/apply?wait=true`, {
      token: t.a.admin.token,
    })
    expect(applied.status, applied.text).toBe(200)
    return fixture
  },
  '/api/departments/{id}': async (t) => {
    const { id } = await create(t, '/api/departments', { name: `Sales ${unique()}` })
    return { params: { id }, snapshot: viewOf(t, [`/api/departments/${id}`]) }
  },
  '/api/employees/{id}': async (t) => ({
    params: { id: t.a.employee.id },
    snapshot: viewOf(t, [`/api/employees/${t.a.employee.id}`]),
  }),
  '/api/signatures/{id}': async (t) => {
    const { id } = await create(t, '/api/signatures', { name: 'Standard', html: '<p>{{firstName}}</p>' })
    return { params: { id }, snapshot: viewOf(t, [`/api/signatures/${id}`]) }
  },
  '/api/campaigns/{id}': async (t) => {
    const { id } = await campaign(t)
    return { params: { id }, snapshot: viewOf(t, [`/api/campaigns/${id}`]) }
  },
  '/api/campaigns/{id}/resume': async (t) => {
    const { params, snapshot } = await FIXTURES['/api/campaigns/{id}']!(t)
    const paused = await t.request('POST', `/api/campaigns/${params.id}/pause`, { token: t.a.admin.token })
    expect(paused.status, paused.text).toBe(200)
    return { params, snapshot }
  },
  // Two variants: the last one of a campaign cannot be deleted.
  '/api/campaigns/{id}/variants/{variantId}': async (t) => {
    const c = await campaign(t)
    await create(t, `/api/campaigns/${c.id}/variants`, { name: 'Second', altText: 'Second banner' })
    return {
      params: { id: c.id, variantId: c.variants[0].id },
      snapshot: viewOf(t, [`/api/campaigns/${c.id}`]),
    }
  },
  // Both workspaces are connected, so B's request reaches the group lookup rather than stopping
  // at "connect HubSpot first".
  '/api/integrations/hubspot/links/{targetGroupId}': async (t) => {
    hubspot ??= startFakeHubSpot()
    const hs = await hubspot
    hs.setList('7', 'Newsletter', [])
    for (const token of [t.a.admin.token, t.b.admin.token]) {
      const res = await t.request('PUT', '/api/integrations/hubspot', {
        token,
        json: { token: hs.token, baseUrl: hs.url },
      })
      expect(res.status, res.text).toBeLessThan(300)
    }
    const { id } = await create(t, '/api/target-groups', { name: `Synced ${unique()}`, kind: 'contact' })
    const linked = await t.request('PUT', `/api/integrations/hubspot/links/${id}`, {
      token: t.a.admin.token,
      json: { listId: '7' },
    })
    expect(linked.status, linked.text).toBeLessThan(300)
    return {
      params: { targetGroupId: id },
      snapshot: viewOf(t, ['/api/integrations/hubspot/links', `/api/integrations/hubspot/links/${id}/runs`]),
    }
  },
  '/api/activity/contacts/{id}': async (t) => {
    const { params } = await FIXTURES['/api/contacts/{id}']!(t)
    return { params, snapshot: viewOf(t, [`/api/activity/contacts/${params.id}`]) }
  },
  // A machine click of A's, which B must neither see nor re-classify.
  '/api/stats/events/{id}': async (t) => {
    const f = statsFixtures(t.db, t.a.id)
    const campaign = await insertCampaignFixture(t.db, t.a.id)
    const delivery = await f.delivery(campaign, t.a.employee.id, {})
    const id = await f.event(delivery, 'click', new Date().toISOString(), 'bot_user_agent')
    return {
      params: { id },
      snapshot: () => t.db.selectFrom('tracking_event').selectAll().where('id', '=', id).executeTakeFirst(),
    }
  },
  // Deliveries have no GET route; A's view is the row the extension's "sent" call changes.
  '/api/deliveries/{id}': async (t) => {
    const id: DeliveryId = await insertDeliveryFixture(
      t.db,
      t.a.id,
      await insertCampaignFixture(t.db, t.a.id),
      t.a.employee.id,
    )
    return {
      params: { id },
      ownerToken: t.a.employee.token,
      snapshot: () => t.db.selectFrom('delivery').selectAll().where('id', '=', id).executeTakeFirst(),
    }
  },
}

/**
 * Requests whose body `{}` would be refused as invalid (so B's call would never reach the
 * tenant check), or whose empty body would change nothing (so "nothing changed" would prove
 * nothing). Keyed by `METHOD path` as in the OpenAPI document.
 */
export const REQUESTS: Record<string, RequestOptions> = {
  'PATCH /api/users/{id}': { json: { firstName: 'Mallory', role: 'admin', disabled: true } },
  'PATCH /api/accounts/{id}': { json: { name: 'Taken over', notes: 'by B' } },
  'POST /api/accounts/{id}/aliases': { json: { domain: 'b-alias.com' } },
  'PATCH /api/contacts/{id}': { json: { firstName: 'Mallory', labels: ['b'] } },
  'POST /api/contacts/{id}/actions/{action}': { json: { reason: 'B was here' } },
  'PATCH /api/segments/{id}': { json: { name: 'Taken over' } },
  'PATCH /api/target-groups/{id}': { json: { name: 'Taken over' } },
  'POST /api/target-groups/{id}/members/add': { json: { emails: ['b-member@b.com'] } },
  'POST /api/target-groups/{id}/members/remove': { json: { emails: ['member@acme.com'] } },
  'PATCH /api/imports/{id}': { json: { mode: 'update' } },
  'PATCH /api/departments/{id}': { json: { name: 'Taken over' } },
  'PATCH /api/employees/{id}': { json: { jobTitle: 'Mallory', phone: '+49 30 1' } },
  'PATCH /api/signatures/{id}': { json: { html: '<p>B</p>', isDefault: true } },
  'PATCH /api/campaigns/{id}': { json: { name: 'Taken over', priority: 999 } },
  'POST /api/campaigns/{id}/variants': { json: { name: 'B', altText: 'B banner' } },
  'PATCH /api/campaigns/{id}/variants/{variantId}': { json: { name: 'B', weight: 999 } },
  'POST /api/stats/events/{id}/classification': { json: { human: true } },
  'PUT /api/integrations/hubspot/links/{targetGroupId}': { json: { listId: '7', intervalMinutes: 60 } },
  'PUT /api/campaigns/{id}/variants/{variantId}/image': {
    body: new Uint8Array(pngImage(600, 100)),
    headers: { 'content-type': 'image/png' },
  },
}

/**
 * Routes that write, yet whose successful call by A leaves A's view of the fixture as it was, each
 * with the reason. The sweep requires every other writing route to change A's view when A calls it,
 * so that "B's call changed nothing" could have failed. Keyed by `METHOD path`.
 */
export const UNSEEN_BY_VIEW: Record<string, string> = {}

/**
 * Routes that name objects of the workspace in the request body (`ids`), not the path: how to
 * make objects of workspace A and a body naming them. The sweep sends the body as workspace B —
 * refused (`refusal`, 404 by default) with A's view unchanged — and then as A, who must succeed.
 * Every route whose JSON body has an `ids` property must be here (the sweep finds them in the
 * OpenAPI document).
 */
export interface BodyFixture {
  /** The path B calls (default: the route's own, which has no parameters). */
  path?: string
  /** The path A calls, when it differs (a group of A's own). */
  ownerPath?: string
  json: unknown
  snapshot: () => Promise<unknown>
  refusal?: { status: number; code: string }
}

export const BODY_FIXTURES: Record<string, (t: TestContext) => Promise<BodyFixture>> = {
  'POST /api/contacts/bulk': async (t) => {
    const { params, snapshot } = await FIXTURES['/api/contacts/{id}']!(t)
    return { json: { action: 'blacklist', reason: 'B was here', ids: [params.id] }, snapshot }
  },
  'POST /api/accounts/bulk': async (t) => {
    const { params, snapshot } = await FIXTURES['/api/accounts/{id}']!(t)
    return { json: { action: 'delete', ids: [params.id] }, snapshot }
  },
  // B adds A's contact to a group of B's own: refused as an unknown id (422, the members routes'
  // answer for any id they cannot find), and neither B's group nor A's contact changes.
  ...Object.fromEntries(
    (['add', 'remove'] as const).map((verb) => [
      `POST /api/target-groups/{id}/members/${verb}`,
      async (t: TestContext): Promise<BodyFixture> => {
        const contact = await FIXTURES['/api/contacts/{id}']!(t)
        const theirs = await create(t, '/api/target-groups', { name: 'B', kind: 'contact' }, t.b.admin.token)
        const mine = await create(t, '/api/target-groups', { name: 'A', kind: 'contact' })
        const id = contact.params.id!
        // In A's group already, so that A's own remove has something to take out.
        if (verb === 'remove') {
          const added = await t.request('POST', `/api/target-groups/${mine.id}/members/add`, {
            token: t.a.admin.token,
            json: { ids: [id] },
          })
          expect(added.status, added.text).toBe(200)
        }
        return {
          path: `/api/target-groups/${theirs.id}/members/${verb}`,
          ownerPath: `/api/target-groups/${mine.id}/members/${verb}`,
          json: { ids: [id] },
          refusal: { status: 422, code: 'validation_failed' },
          snapshot: async () => [
            await contact.snapshot(),
            await viewOf(t, [`/api/target-groups?contactId=${id}`])(),
            await viewOf(t, [`/api/target-groups/${theirs.id}/members`], t.b.admin.token)(),
          ],
        }
      },
    ]),
  ),
}

import { ErrorBodySchema } from '@signet/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { naughtyStrings } from '../../test/corpora.ts'
import { type RequestOptions, setupTestApp, type TestContext, type TestResponse } from '../../test/helpers.ts'
import { runnableMarkup } from '../../test/markup.ts'
import { csvRow } from '../exports/csv.ts'

/**
 * The Big List of Naughty Strings through every kind of input: create and update bodies, search,
 * the segment language, signature templates and employee profiles, CSV import. Every answer is a
 * 2xx or a 4xx in the one error shape, never a 500; no signature comes out with anything that runs.
 */
let t: TestContext
let ids: { contact: string; account: string; campaign: string; group: string }
beforeAll(async () => {
  t = await setupTestApp()
  const token = t.a.marketer.token
  const post = async (path: string, json: unknown) => (await t.request('POST', path, { token, json })).body.id
  ids = {
    contact: await post('/api/contacts', { email: 'target@acme.com' }),
    account: await post('/api/accounts', { domain: 'acme.com' }),
    campaign: await post('/api/campaigns', { name: 'C', destinationUrl: 'https://acme.com', altText: 'C' }),
    group: await post('/api/target-groups', { name: 'G', kind: 'contact' }),
  }
})
afterAll(() => t.close())

/** What is wrong with an answer, or undefined when it is a 2xx, or a 4xx in the error shape. */
function problem(res: TestResponse): string | undefined {
  if (res.status < 300) return undefined
  if (res.status >= 500) return `${res.status} ${res.text.slice(0, 200)}`
  if (!ErrorBodySchema.safeParse(res.body).success)
    return `${res.status} without the error shape: ${res.text.slice(0, 200)}`
  return undefined
}

const group = (...conditions: unknown[]) => ({ type: 'group', combinator: 'and', conditions })

type Target = [
  name: string,
  method: string,
  path: (s: string, i: number) => string,
  body?: (s: string, i: number) => unknown,
]

const targets: Target[] = [
  [
    'contact fields',
    'POST',
    () => '/api/contacts',
    (s, i) => ({
      email: `n${i}@acme.com`,
      firstName: s,
      lastName: s,
      company: s,
      jobTitle: s,
      address: s,
      labels: [s],
      customFields: { [s]: s },
    }),
  ],
  ['contact email', 'POST', () => '/api/contacts', (s) => ({ email: s })],
  ['contact phone', 'PATCH', () => `/api/contacts/${ids.contact}`, (s) => ({ phone: s, firstName: s })],
  ['account domain', 'POST', () => '/api/accounts', (s) => ({ domain: s })],
  [
    'account fields',
    'PATCH',
    () => `/api/accounts/${ids.account}`,
    (s) => ({ name: s, notes: s, industry: s, website: s, customFields: { [s]: s } }),
  ],
  ['account alias', 'POST', () => `/api/accounts/${ids.account}/aliases`, (s) => ({ domain: s })],
  ['contact search', 'GET', (s) => `/api/contacts?q=${encodeURIComponent(s)}`],
  [
    'contact filter',
    'GET',
    (s) => `/api/contacts?filter=${encodeURIComponent(s)}&label=${encodeURIComponent(s)}`,
  ],
  [
    'segment language',
    'POST',
    () => '/api/segments/count',
    (s) => ({
      kind: 'contact',
      filter: group(
        { type: 'field', field: 'firstName', op: 'contains', value: s },
        { type: 'custom_field', key: s || 'k', op: 'equals', value: s },
        { type: 'account_custom_field', key: s || 'k', op: 'greater_than', value: s },
        { type: 'labels', op: 'any', values: [s] },
      ),
    }),
  ],
  [
    'segment name',
    'POST',
    () => '/api/segments',
    (s) => ({
      name: s,
      kind: 'account',
      filter: group({ type: 'field', field: 'name', op: 'starts_with', value: s }),
    }),
  ],
  [
    'group name and members',
    'POST',
    () => `/api/target-groups/${ids.group}/members/add`,
    (s) => ({ emails: [s] }),
  ],
  ['campaign', 'PATCH', () => `/api/campaigns/${ids.campaign}`, (s) => ({ name: s, destinationUrl: s })],
  ['department', 'POST', () => '/api/departments', (s) => ({ name: s })],
  ['resolve', 'POST', () => '/api/resolve', (s) => ({ to: [s], cc: [`${s} <x@acme.com>`] })],
]

// The free-text fields get every string; the other inputs every third one, each a different third,
// so the suite stays within its time budget and every string still reaches several kinds of input.
const FULL = new Set(['contact fields', 'account fields'])
const corpusFor = (name: string, index: number) =>
  [...naughtyStrings.entries()].filter(([i]) => FULL.has(name) || i % 3 === index % 3)

describe('the naughty strings', () => {
  it('are checked by a detector that sees what runs, and not escaped text', () => {
    expect(runnableMarkup('<img src=x onerror=alert(1)><a href=" java\tscript:x">a</a><svg></svg>')).toEqual([
      'img[onerror]',
      'a[href= java\tscript:x]',
      '<svg>',
    ])
    expect(
      runnableMarkup(
        '<p>&lt;script&gt;alert(1)&lt;/script&gt; onload=x</p><a href="\\x0Bjavascript:x">a</a>',
      ),
    ).toEqual([])
  })

  it.each(targets.map((target, index) => [...target, index] as const))(
    'never make %s answer 5xx or leave the error shape',
    async (name, method, path, body, index) => {
      const problems: string[] = []
      for (const [i, s] of corpusFor(name, index)) {
        const options: RequestOptions = { token: t.a.admin.token }
        if (body) options.json = body(s, i)
        const res = await t.request(method, path(s, i), options)
        const wrong = problem(res)
        if (wrong) problems.push(`${JSON.stringify(s)}: ${wrong}`)
      }
      expect(problems).toEqual([])
    },
  )

  it('never make a signature template or an employee profile render anything that runs', async () => {
    const problems: string[] = []
    const every =
      '<p>{{firstName}} {{lastName}} {{jobTitle}} {{phone}} {{mobile}} {{email}} {{custom.x}}</p><a href="{{custom.x}}"><img src="{{photoUrl}}" alt="{{department}}"></a>{{banner}}'
    for (const s of naughtyStrings) {
      const template = await t.request('POST', '/api/signatures', {
        token: t.a.admin.token,
        json: { name: 'N', html: `${s}${every}` },
      })
      if (problem(template)) problems.push(`template ${JSON.stringify(s)}: ${problem(template)}`)
      else if (template.status === 201 && runnableMarkup(template.body.html).length)
        problems.push(`stored ${JSON.stringify(s)}: ${runnableMarkup(template.body.html)}`)
      const profile = await t.request('PATCH', '/api/me/profile', {
        token: t.a.employee.token,
        json: {
          firstName: s.slice(0, 100),
          lastName: s.slice(0, 100),
          jobTitle: s.slice(0, 150),
          customFields: { x: s.slice(0, 500) },
        },
      })
      if (problem(profile)) problems.push(`profile ${JSON.stringify(s)}: ${problem(profile)}`)
      const preview = await t.request('POST', '/api/signatures/preview', {
        token: t.a.employee.token,
        json: { html: `${s}${every}` },
      })
      if (problem(preview)) problems.push(`preview ${JSON.stringify(s)}: ${problem(preview)}`)
      else if (preview.status === 200 && runnableMarkup(preview.body.html).length)
        problems.push(`rendered ${JSON.stringify(s)}: ${runnableMarkup(preview.body.html)}`)
    }
    expect(problems).toEqual([])
  })

  it('go through a CSV import: the upload, the dry run and the apply answer, and nothing half-applies', async () => {
    const rows = naughtyStrings.map((s, i) => [i % 3 === 0 ? s : `csv${i}@acme.com`, s, s, s])
    const csv = csvRow(['email', 'first name', 'last name', 'company']) + rows.map((r) => csvRow(r)).join('')
    const upload = await t.request('POST', '/api/imports?kind=contacts&fileName=naughty.csv', {
      token: t.a.admin.token,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    })
    expect(problem(upload)).toBeUndefined()
    expect(upload.status).toBe(201)
    const dry = await t.request('POST', `/api/imports/${upload.body.id}/dry-run?wait=true`, {
      token: t.a.admin.token,
    })
    expect(problem(dry)).toBeUndefined()
    const apply = await t.request('POST', `/api/imports/${upload.body.id}/apply?wait=true`, {
      token: t.a.admin.token,
    })
    expect(apply.status).toBe(200)
    expect(apply.body.new).toBe(dry.body.new)
    const rejected = await t.request('GET', `/api/imports/${upload.body.id}/rejected.csv`, {
      token: t.a.admin.token,
    })
    expect(rejected.status).toBe(200)
  })
})

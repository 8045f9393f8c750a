import { ApiRequestError } from '@signet/dashboard'
import { describe, expect, it } from 'vitest'
import type { Send } from '../../features/feature.ts'
import type { MessageMap } from '../../lib/messages.ts'
import { BackgroundApiClient } from './api-client.ts'

/** Stands in for the background worker: records each message and answers `dashboardRequest` with `answer`. */
function background(answer: MessageMap['dashboardRequest']['output'] | undefined) {
  const sent: { type: string; input: unknown }[] = []
  const send = (async (type: string, input?: unknown) => {
    sent.push({ type, input })
    if (type === 'status') return { email: 'ann@acme.test' }
    if (answer === undefined) throw new Error('no background')
    return answer
  }) as Send
  return { send, sent }
}

describe('the options page API client', () => {
  it('sends JSON requests to the background and answers the body', async () => {
    const bg = background({ status: 200, body: { id: 'x' } })
    const client = new BackgroundApiClient('http://localhost:3000', bg.send)
    expect(await client.request('PATCH', '/api/workspace', { name: 'Acme' })).toEqual({ id: 'x' })
    expect(bg.sent).toEqual([
      {
        type: 'dashboardRequest',
        input: { method: 'PATCH', path: '/api/workspace', body: { name: 'Acme' } },
      },
    ])
  })

  it('sends a file as base64 with its type, since messages carry JSON only', async () => {
    const bg = background({ status: 200, body: {} })
    const client = new BackgroundApiClient('http://localhost:3000', bg.send)
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255])
    await client.request('PUT', '/api/campaigns/c/variants/v/image', new Blob([bytes], { type: 'image/png' }))
    expect(bg.sent[0]!.input).toEqual({
      method: 'PUT',
      path: '/api/campaigns/c/variants/v/image',
      file: { type: 'image/png', base64: Buffer.from(bytes).toString('base64') },
    })
  })

  it('answers a CSV download as a Response, and uploads a CSV as a file', async () => {
    const bg = background({
      status: 200,
      body: null,
      text: 'email\r\nann@acme.com\r\n',
      contentType: 'text/csv',
    })
    const client = new BackgroundApiClient('http://localhost:3000', bg.send)
    const res = await client.raw('GET', '/api/contacts/export.csv')
    expect(res.headers.get('content-type')).toBe('text/csv')
    expect(await res.text()).toBe('email\r\nann@acme.com\r\n')
    await client.raw('POST', '/api/imports?kind=contacts', {
      data: 'email\nbob@acme.com\n',
      type: 'text/csv',
    })
    expect(bg.sent[1]!.input).toEqual({
      method: 'POST',
      path: '/api/imports?kind=contacts',
      file: { type: 'text/csv', base64: Buffer.from('email\nbob@acme.com\n').toString('base64') },
    })
  })

  it('throws the API error in the dashboard’s shape, and reports a lost session', async () => {
    const bg = background({ status: 401, body: { error: { code: 'unauthorized', message: 'Sign in.' } } })
    const client = new BackgroundApiClient('http://localhost:3000', bg.send)
    let lost = 0
    client.onUnauthorized = () => lost++
    const error = await client.get('/api/auth/me').catch((e) => e)
    expect(error).toBeInstanceOf(ApiRequestError)
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'Sign in.' })
    expect(lost).toBe(1)
    // A wrong password is an answer to show, not a lost session.
    await client.request('POST', '/api/auth/sign-in', {}).catch(() => undefined)
    expect(lost).toBe(1)
  })

  it('says the API cannot be reached when the background cannot reach it or does not answer', async () => {
    for (const answer of [{ status: 0, body: null }, undefined]) {
      const client = new BackgroundApiClient('http://localhost:3000', background(answer).send)
      await expect(client.get('/api/auth/me')).rejects.toMatchObject({ status: 0, code: 'network' })
    }
  })

  it('knows the session and the API address from the background, and keeps no token', async () => {
    const bg = background({ status: 200, body: {} })
    const client = new BackgroundApiClient('http://localhost:3000', bg.send)
    expect(await client.hasToken()).toBe(true)
    expect(client.url('/b/v/1')).toBe('http://localhost:3000/b/v/1')
    await client.setToken('sgt_secret')
    expect(bg.sent.map((m) => m.type)).toEqual(['status'])
  })
})

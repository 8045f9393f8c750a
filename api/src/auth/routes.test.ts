import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, PASSWORD, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

describe('POST /api/auth/sign-up', () => {
  it('creates a workspace with its first admin and signs them in', async () => {
    const res = await t.request('POST', '/api/auth/sign-up', {
      json: {
        workspaceName: 'Acme GmbH',
        email: 'Founder@Acme.example',
        password: 'a long enough password',
        firstName: 'Fay',
      },
    })
    expect(res.status).toBe(201)
    expect(res.body.token).toMatch(/^sgt_/)
    expect(res.body.user).toMatchObject({
      email: 'founder@acme.example',
      role: 'admin',
      firstName: 'Fay',
      status: 'active',
    })
    expect(res.body.workspace).toMatchObject({
      name: 'Acme GmbH',
      trackingTier: 'aggregate',
      multiRecipientPolicy: 'best_match',
    })
    const me = await t.request('GET', '/api/auth/me', { token: res.body.token })
    expect(me.status).toBe(200)
    expect(me.body.workspace.id).toBe(res.body.workspace.id)
  })

  it('refuses an email that already has an account, naming the field', async () => {
    const res = await t.request('POST', '/api/auth/sign-up', {
      json: {
        workspaceName: 'Again',
        email: t.a.admin.email.toUpperCase(),
        password: 'a long enough password',
      },
    })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(
      apiError('conflict', 'An account with this email already exists. Sign in instead.', 'email'),
    )
  })

  it.each([
    [
      { email: 'x@y.example', password: 'a long enough password' },
      'workspaceName',
      'This field is required.',
    ],
    [
      { workspaceName: 'W', email: 'not-an-email', password: 'a long enough password' },
      'email',
      'Enter a valid email address.',
    ],
    [
      { workspaceName: 'W', email: 'x@y.example', password: 'short' },
      'password',
      'Use at least 10 characters for the password.',
    ],
    [
      { workspaceName: 42, email: 'x@y.example', password: 'a long enough password' },
      'workspaceName',
      'Expected a string, got a number.',
    ],
    [
      { workspaceName: '  ', email: 'x@y.example', password: 'a long enough password' },
      'workspaceName',
      'Give your workspace a name.',
    ],
  ])('answers 422 for %j naming %s', async (json, field, message) => {
    const before = await t.db
      .selectFrom('workspace')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    const res = await t.request('POST', '/api/auth/sign-up', { json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const after = await t.db
      .selectFrom('workspace')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })
})

describe('POST /api/auth/sign-in', () => {
  it('signs in with the right password, whatever the email case', async () => {
    const res = await t.request('POST', '/api/auth/sign-in', {
      json: { email: t.a.marketer.email.toUpperCase(), password: PASSWORD },
    })
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ email: t.a.marketer.email, role: 'marketer' })
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000)
  })

  it('answers 401 with the error shape for a wrong password', async () => {
    const res = await t.request('POST', '/api/auth/sign-in', {
      json: { email: t.a.employee.email, password: 'wrong password' },
    })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(apiError('unauthorized', 'The email or password is not correct.'))
  })

  it('answers the same 401 for an unknown email', async () => {
    const res = await t.request('POST', '/api/auth/sign-in', {
      json: { email: 'nobody@nowhere.example', password: PASSWORD },
    })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(apiError('unauthorized', 'The email or password is not correct.'))
  })

  it('locks an email after five failures, even for the right password', async () => {
    const w = await t.addWorkspace('Locked')
    const attempt = (password: string, address = '203.0.113.7') =>
      t.request('POST', '/api/auth/sign-in', {
        json: { email: w.admin.email, password },
        headers: { 'x-forwarded-for': address },
      })
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password')).status).toBe(401)
    const locked = await attempt(PASSWORD, '198.51.100.1')
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('900')
    expect(locked.body).toEqual(
      apiError('rate_limited', 'Too many failed sign-ins. Please wait 15 minutes and try again.'),
    )
    // Another account is not affected from another address.
    const other = await t.request('POST', '/api/auth/sign-in', {
      json: { email: w.marketer.email, password: PASSWORD },
      headers: { 'x-forwarded-for': '198.51.100.1' },
    })
    expect(other.status).toBe(200)
  })

  it('locks an address after thirty failures across accounts', async () => {
    const address = '192.0.2.99'
    for (let i = 0; i < 30; i++) {
      const res = await t.request('POST', '/api/auth/sign-in', {
        json: { email: `guess${i}@nowhere.example`, password: 'wrong password' },
        headers: { 'x-forwarded-for': address },
      })
      expect(res.status).toBe(401)
    }
    const res = await t.request('POST', '/api/auth/sign-in', {
      json: { email: t.b.employee.email, password: PASSWORD },
      headers: { 'x-forwarded-for': address },
    })
    expect(res.status).toBe(429)
  })

  it('refuses a disabled user', async () => {
    const w = await t.addWorkspace('Disabled')
    await t.request('PATCH', `/api/users/${w.employee.id}`, {
      token: w.admin.token,
      json: { disabled: true },
    })
    const res = await t.request('POST', '/api/auth/sign-in', {
      json: { email: w.employee.email, password: PASSWORD },
    })
    expect(res.status).toBe(401)
  })
})

describe('bearer tokens', () => {
  it('refuses a request without a token', async () => {
    const res = await t.request('GET', '/api/auth/me')
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      apiError('unauthorized', 'Sign in first: send your token as "Authorization: Bearer …".'),
    )
  })

  it.each(['sgt_made-up', 'garbage'])('refuses the unknown token %s', async (token) => {
    const res = await t.request('GET', '/api/auth/me', { token })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      apiError('unauthorized', 'Your session has expired or was signed out. Please sign in again.'),
    )
  })

  it('refuses an expired token', async () => {
    const session = await t.request('POST', '/api/auth/sign-in', {
      json: { email: t.b.marketer.email, password: PASSWORD },
    })
    expect((await t.request('GET', '/api/auth/me', { token: session.body.token })).status).toBe(200)
    await t.db
      .updateTable('api_token')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('user_id', '=', t.b.marketer.id)
      .where('created_at', '>', sql<Date>`now() - interval '1 minute'`)
      .execute()
    const res = await t.request('GET', '/api/auth/me', { token: session.body.token })
    expect(res.status).toBe(401)
  })

  it('signs out: the token is revoked, others of the same user still work', async () => {
    const first = await t.request('POST', '/api/auth/sign-in', {
      json: { email: t.b.employee.email, password: PASSWORD },
    })
    const second = await t.request('POST', '/api/auth/sign-in', {
      json: { email: t.b.employee.email, password: PASSWORD },
    })
    const out = await t.request('POST', '/api/auth/sign-out', { token: first.body.token })
    expect(out.status).toBe(204)
    expect((await t.request('GET', '/api/auth/me', { token: first.body.token })).status).toBe(401)
    expect((await t.request('GET', '/api/auth/me', { token: second.body.token })).status).toBe(200)
  })

  it('stores only a hash of the token', async () => {
    const rows = await t.db
      .selectFrom('api_token')
      .select('token_hash')
      .where('user_id', '=', t.a.admin.id)
      .execute()
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(row.token_hash).not.toContain(t.a.admin.token)
    }
  })
})

describe('POST /api/auth/accept-invitation', () => {
  it('lets an invited user choose a password once', async () => {
    const created = await t.request('POST', '/api/users', {
      token: t.a.admin.token,
      json: { email: 'new.hire@a.example', role: 'employee', firstName: 'Nia' },
    })
    expect(created.status).toBe(201)
    expect(created.body.user.status).toBe('invited')
    const { token } = created.body.invitation
    const accepted = await t.request('POST', '/api/auth/accept-invitation', {
      json: { token, password: 'my new password' },
    })
    expect(accepted.status).toBe(200)
    expect(accepted.body.user).toMatchObject({ email: 'new.hire@a.example', status: 'active' })
    const again = await t.request('POST', '/api/auth/accept-invitation', {
      json: { token, password: 'another password' },
    })
    expect(again.status).toBe(404)
    expect(again.body).toEqual(
      apiError('not_found', 'This invitation is not valid any more. Ask an admin for a new one.', 'token'),
    )
    const signIn = await t.request('POST', '/api/auth/sign-in', {
      json: { email: 'new.hire@a.example', password: 'my new password' },
    })
    expect(signIn.status).toBe(200)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

describe('GET /api/users', () => {
  it('lists only the users of the caller’s workspace', async () => {
    const res = await t.request('GET', '/api/users', { token: t.a.admin.token })
    expect(res.status).toBe(200)
    const emails = res.body.map((u: { email: string }) => u.email).sort()
    expect(emails).toEqual([t.a.admin.email, t.a.employee.email, t.a.marketer.email].sort())
  })

  it('filters by role', async () => {
    const res = await t.request('GET', '/api/users?role=employee', { token: t.a.admin.token })
    expect(res.body.map((u: { email: string }) => u.email)).toEqual([t.a.employee.email])
  })

  it.each([
    ['marketer', 403],
    ['employee', 403],
  ] as const)('refuses a %s (%i)', async (role, status) => {
    const res = await t.request('GET', '/api/users', { token: t.a[role].token })
    expect(res.status).toBe(status)
    expect(res.body).toEqual(
      apiError('forbidden', `This needs the admin role; you are signed in as ${role}.`),
    )
  })

  it('answers 422 naming the field for an unknown role filter', async () => {
    const res = await t.request('GET', '/api/users?role=owner', { token: t.a.admin.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(
      apiError('validation_failed', 'Choose one of: admin, marketer, employee.', 'role'),
    )
  })
})

describe('POST /api/users', () => {
  it('creates a user with a password, who can then sign in', async () => {
    const res = await t.request('POST', '/api/users', {
      token: t.a.admin.token,
      json: { email: 'Sam@A.example', role: 'marketer', password: 'a good long password' },
    })
    expect(res.status).toBe(201)
    expect(res.body.user).toMatchObject({ email: 'sam@a.example', role: 'marketer', status: 'active' })
    expect(res.body.invitation).toBeNull()
    const signIn = await t.request('POST', '/api/auth/sign-in', {
      json: { email: 'sam@a.example', password: 'a good long password' },
    })
    expect(signIn.status).toBe(200)
  })

  it.each([
    [{ email: 'x@a.example', role: 'owner' }, 'role', 'Choose one of: admin, marketer, employee.'],
    [{ email: 'nope', role: 'employee' }, 'email', 'Enter a valid email address.'],
    [{ role: 'employee' }, 'email', 'This field is required.'],
    [
      { email: 'x@a.example', role: 'employee', password: 'short' },
      'password',
      'Use at least 10 characters for the password.',
    ],
  ])('answers 422 for %j', async (json, field, message) => {
    const res = await t.request('POST', '/api/users', { token: t.a.admin.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })

  it('refuses an email that is taken in any workspace', async () => {
    const res = await t.request('POST', '/api/users', {
      token: t.a.admin.token,
      json: { email: t.b.employee.email, role: 'employee' },
    })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(apiError('conflict', 'A user with this email already exists.', 'email'))
  })

  it('is for admins only', async () => {
    const res = await t.request('POST', '/api/users', {
      token: t.a.marketer.token,
      json: { email: 'y@a.example', role: 'admin' },
    })
    expect(res.status).toBe(403)
  })
})

describe('PATCH /api/users/:id', () => {
  it('changes the role, and the user’s old tokens stop working', async () => {
    const w = await t.addWorkspace('Roles')
    const res = await t.request('PATCH', `/api/users/${w.employee.id}`, {
      token: w.admin.token,
      json: { role: 'marketer' },
    })
    expect(res.status).toBe(200)
    expect(res.body.role).toBe('marketer')
    expect((await t.request('GET', '/api/auth/me', { token: w.employee.token })).status).toBe(401)
  })

  it('keeps at least one admin', async () => {
    const w = await t.addWorkspace('Last admin')
    const res = await t.request('PATCH', `/api/users/${w.admin.id}`, {
      token: w.admin.token,
      json: { role: 'employee' },
    })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(
      apiError('conflict', 'The workspace needs at least one admin. Make someone else admin first.', 'role'),
    )
  })

  it('answers 422 for a wrong type', async () => {
    const res = await t.request('PATCH', `/api/users/${t.a.employee.id}`, {
      token: t.a.admin.token,
      json: { disabled: 'yes' },
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', 'Expected a boolean, got a string.', 'disabled'))
  })

  it('answers 422 for an id that is not one', async () => {
    const res = await t.request('PATCH', '/api/users/123', {
      token: t.a.admin.token,
      json: { firstName: 'X' },
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', 'This is not a valid id.', 'id'))
  })
})

describe('isolation between workspaces', () => {
  it.each([
    ['GET', undefined],
    ['PATCH', { firstName: 'Hacked', role: 'admin' }],
    ['DELETE', undefined],
  ])('%s /api/users/:id of another workspace answers 404 and changes nothing', async (method, json) => {
    const res = await t.request(method, `/api/users/${t.a.employee.id}`, { token: t.b.admin.token, json })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'User not found.'))
    const still = await t.request('GET', `/api/users/${t.a.employee.id}`, { token: t.a.admin.token })
    expect(still.body).toMatchObject({ role: 'employee', firstName: '' })
  })

  it('POST /api/users/:id/invitation of another workspace answers 404', async () => {
    const created = await t.request('POST', '/api/users', {
      token: t.a.admin.token,
      json: { email: 'inv@a.example', role: 'employee' },
    })
    const res = await t.request('POST', `/api/users/${created.body.user.id}/invitation`, {
      token: t.b.admin.token,
    })
    expect(res.status).toBe(404)
    const own = await t.request('POST', `/api/users/${created.body.user.id}/invitation`, {
      token: t.a.admin.token,
    })
    expect(own.status).toBe(201)
    expect(own.body.invitation.token).toMatch(/^sgi_/)
  })
})

describe('DELETE /api/users/:id', () => {
  it('deletes a user, whose tokens then fail', async () => {
    const w = await t.addWorkspace('Delete')
    const res = await t.request('DELETE', `/api/users/${w.marketer.id}`, { token: w.admin.token })
    expect(res.status).toBe(204)
    expect((await t.request('GET', '/api/auth/me', { token: w.marketer.token })).status).toBe(401)
    expect((await t.request('GET', `/api/users/${w.marketer.id}`, { token: w.admin.token })).status).toBe(404)
  })

  it('refuses to delete yourself', async () => {
    const res = await t.request('DELETE', `/api/users/${t.b.admin.id}`, { token: t.b.admin.token })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(apiError('conflict', 'You cannot delete yourself.', 'id'))
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

describe('departments', () => {
  it('creates, lists, renames and deletes a department; employees keep their profile', async () => {
    const created = await t.request('POST', '/api/departments', {
      token: t.a.marketer.token,
      json: { name: 'Sales' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'Sales', employeeCount: 0, signatureTemplateId: null })
    const id = created.body.id
    await t.request('PATCH', `/api/employees/${t.a.employee.id}`, {
      token: t.a.marketer.token,
      json: { departmentId: id, jobTitle: 'Account executive' },
    })
    const list = await t.request('GET', '/api/departments', { token: t.a.marketer.token })
    expect(list.body.map((d: { name: string; employeeCount: number }) => [d.name, d.employeeCount])).toEqual([
      ['Sales', 1],
    ])
    const renamed = await t.request('PATCH', `/api/departments/${id}`, {
      token: t.a.marketer.token,
      json: { name: 'Field sales' },
    })
    expect(renamed.body.name).toBe('Field sales')
    expect((await t.request('DELETE', `/api/departments/${id}`, { token: t.a.marketer.token })).status).toBe(
      204,
    )
    const profile = await t.request('GET', `/api/employees/${t.a.employee.id}`, { token: t.a.marketer.token })
    expect(profile.body).toMatchObject({
      departmentId: null,
      department: null,
      jobTitle: 'Account executive',
    })
  })

  it('refuses a duplicate name with 409', async () => {
    await t.request('POST', '/api/departments', { token: t.a.marketer.token, json: { name: 'Support' } })
    const res = await t.request('POST', '/api/departments', {
      token: t.a.marketer.token,
      json: { name: 'Support' },
    })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(apiError('conflict', 'A department with this name already exists.', 'name'))
  })

  it.each([
    [{ name: '' }, 'name', 'Give the department a name.'],
    [{}, 'name', 'This field is required.'],
    [{ name: 'X', signatureTemplateId: 'nope' }, 'signatureTemplateId', 'This is not a valid id.'],
    [
      { name: 'X', signatureTemplateId: '00000000-0000-4000-8000-000000000000' },
      'signatureTemplateId',
      'There is no such signature template.',
    ],
  ])('answers 422 for %j and creates nothing', async (json, field, message) => {
    const before = await t.request('GET', '/api/departments', { token: t.a.marketer.token })
    const res = await t.request('POST', '/api/departments', { token: t.a.marketer.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const after = await t.request('GET', '/api/departments', { token: t.a.marketer.token })
    expect(after.body).toEqual(before.body)
  })

  it('is not for employees', async () => {
    const res = await t.request('GET', '/api/departments', { token: t.a.employee.token })
    expect(res.status).toBe(403)
  })

  it.each([
    ['GET', undefined],
    ['PATCH', { name: 'Hacked' }],
    ['DELETE', undefined],
  ])('%s of another workspace’s department answers 404 and changes nothing', async (method, json) => {
    const own = await t.request('POST', '/api/departments', {
      token: t.a.marketer.token,
      json: { name: `D ${method}` },
    })
    const res = await t.request(method, `/api/departments/${own.body.id}`, {
      token: t.b.marketer.token,
      json,
    })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Department not found.'))
    const still = await t.request('GET', `/api/departments/${own.body.id}`, { token: t.a.marketer.token })
    expect(still.body.name).toBe(`D ${method}`)
  })
})

describe('employees', () => {
  it('lists every user of the workspace with profile fields', async () => {
    const res = await t.request('GET', '/api/employees', { token: t.a.marketer.token })
    expect(res.status).toBe(200)
    expect(res.body.map((e: { email: string }) => e.email).sort()).toEqual(
      [t.a.admin.email, t.a.employee.email, t.a.marketer.email].sort(),
    )
  })

  it('updates profile fields and custom fields', async () => {
    const res = await t.request('PATCH', `/api/employees/${t.a.admin.id}`, {
      token: t.a.marketer.token,
      json: {
        firstName: 'Ada',
        phone: '+49 30 1234',
        photoUrl: 'https://cdn.example/ada.png',
        customFields: { linkedin: 'https://linkedin.com/in/ada' },
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      firstName: 'Ada',
      phone: '+49 30 1234',
      photoUrl: 'https://cdn.example/ada.png',
      customFields: { linkedin: 'https://linkedin.com/in/ada' },
    })
  })

  it.each([
    [{ photoUrl: 'javascript:alert(1)' }, 'photoUrl', 'Enter a web address starting with https://.'],
    [
      { customFields: { 'bad key': 'x' } },
      'customFields',
      'Name custom fields with letters, digits and _ only.',
    ],
    [
      { departmentId: '00000000-0000-4000-8000-000000000000' },
      'departmentId',
      'There is no such department.',
    ],
    [{ role: 'admin' }, 'role', 'Unknown field: role.'],
    [{ jobTitle: 'x'.repeat(151) }, 'jobTitle', 'Use at most 150 characters.'],
  ])('answers 422 for %j and changes nothing', async (json, field, message) => {
    const res = await t.request('PATCH', `/api/employees/${t.a.employee.id}`, {
      token: t.a.marketer.token,
      json,
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const still = await t.request('GET', `/api/employees/${t.a.employee.id}`, { token: t.a.marketer.token })
    expect(still.body).toMatchObject({ photoUrl: '', role: 'employee', customFields: {} })
  })

  it.each([
    ['GET', undefined],
    ['PATCH', { firstName: 'Hacked' }],
  ])('%s of another workspace’s employee answers 404 and changes nothing', async (method, json) => {
    const res = await t.request(method, `/api/employees/${t.a.employee.id}`, {
      token: t.b.marketer.token,
      json,
    })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Employee not found.'))
    const still = await t.request('GET', `/api/employees/${t.a.employee.id}`, { token: t.a.marketer.token })
    expect(still.body.firstName).not.toBe('Hacked')
  })

  it('refuses a department of another workspace', async () => {
    const other = await t.request('POST', '/api/departments', {
      token: t.b.marketer.token,
      json: { name: 'B dept' },
    })
    const res = await t.request('PATCH', `/api/employees/${t.a.employee.id}`, {
      token: t.a.marketer.token,
      json: { departmentId: other.body.id },
    })
    expect(res.body).toEqual(apiError('validation_failed', 'There is no such department.', 'departmentId'))
  })
})

describe('/api/me/profile', () => {
  it('lets an employee read and change their own profile fields', async () => {
    const res = await t.request('PATCH', '/api/me/profile', {
      token: t.b.employee.token,
      json: { firstName: 'Bea', mobile: '+44 7700 900000' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: t.b.employee.id, firstName: 'Bea', mobile: '+44 7700 900000' })
    const get = await t.request('GET', '/api/me/profile', { token: t.b.employee.token })
    expect(get.body.firstName).toBe('Bea')
  })

  it('does not let an employee choose their department', async () => {
    const res = await t.request('PATCH', '/api/me/profile', {
      token: t.b.employee.token,
      json: { departmentId: '00000000-0000-4000-8000-000000000000' },
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', 'Unknown field: departmentId.', 'departmentId'))
  })

  it('needs a token', async () => {
    expect((await t.request('GET', '/api/me/profile')).status).toBe(401)
  })
})

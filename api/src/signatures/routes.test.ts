import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
  await t.request('PATCH', `/api/employees/${t.a.employee.id}`, {
    token: t.a.marketer.token,
    json: { firstName: 'Erik', lastName: 'Employee', jobTitle: 'Sales <Lead>' },
  })
})
afterAll(() => t.close())

const create = (token: string, json: unknown) => t.request('POST', '/api/signatures', { token, json })

describe('POST /api/signatures', () => {
  it('stores the sanitised HTML', async () => {
    const res = await create(t.a.marketer.token, {
      name: 'Plain',
      html: '<p onclick="x()">{{firstName}}</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>{{banner}}',
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      name: 'Plain',
      html: '<p>{{firstName}}</p><a>x</a>{{banner}}',
      isDefault: false,
    })
  })

  it('keeps one default per workspace', async () => {
    const first = await create(t.a.marketer.token, { name: 'Default 1', html: '<p>1</p>', isDefault: true })
    const second = await create(t.a.marketer.token, { name: 'Default 2', html: '<p>2</p>', isDefault: true })
    const list = await t.request('GET', '/api/signatures', { token: t.a.marketer.token })
    const defaults = list.body
      .filter((s: { isDefault: boolean }) => s.isDefault)
      .map((s: { id: string }) => s.id)
    expect(defaults).toEqual([second.body.id])
    expect(defaults).not.toContain(first.body.id)
  })

  it.each([
    [{ html: '<p/>' }, 'name', 'This field is required.'],
    [{ name: ' ', html: '<p/>' }, 'name', 'Give the template a name.'],
    [{ name: 'X', html: 'x'.repeat(100_001) }, 'html', 'Keep the template under 100,000 characters.'],
    [{ name: 'X', html: 5 }, 'html', 'Expected a string, got a number.'],
    [
      { name: 'X', html: '<p>{{firstName}} {{ fristName }}</p>' },
      'html',
      '{{fristName}} is not a placeholder: use {{firstName}}, {{lastName}}, {{jobTitle}}, {{department}}, {{phone}}, {{mobile}}, {{email}}, {{photoUrl}}, {{banner}} or {{custom.<name>}}.',
    ],
  ])('answers 422 for %j and creates nothing', async (json, field, message) => {
    const before = await t.request('GET', '/api/signatures', { token: t.a.marketer.token })
    const res = await create(t.a.marketer.token, json)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    expect((await t.request('GET', '/api/signatures', { token: t.a.marketer.token })).body).toEqual(
      before.body,
    )
  })

  it('is not for employees', async () => {
    const res = await create(t.a.employee.token, { name: 'X', html: '<p/>' })
    expect(res.status).toBe(403)
  })
})

describe('signature precedence and preview', () => {
  it('uses the employee’s own template, else the department’s, else the workspace default', async () => {
    const w = await t.addWorkspace('Precedence')
    const preview = async () =>
      (await t.request('POST', '/api/signatures/preview', { token: w.employee.token, json: {} })).body
    // No template at all: the built-in one.
    expect((await preview()).templateId).toBeNull()
    const def = await create(w.marketer.token, {
      name: 'Default',
      html: '<p>default {{email}}</p>',
      isDefault: true,
    })
    // No {{banner}} slot: the banner goes after the signature.
    expect(await preview()).toEqual({
      templateId: def.body.id,
      html: expect.stringMatching(
        new RegExp(`^<p>default ${w.employee.email}</p><div style="[^"]+">Campaign banner</div>$`),
      ),
    })
    const deptTemplate = await create(w.marketer.token, { name: 'Dept', html: '<p>dept</p>{{banner}}' })
    const dept = await t.request('POST', '/api/departments', {
      token: w.marketer.token,
      json: { name: 'Sales', signatureTemplateId: deptTemplate.body.id },
    })
    await t.request('PATCH', `/api/employees/${w.employee.id}`, {
      token: w.marketer.token,
      json: { departmentId: dept.body.id },
    })
    expect((await preview()).templateId).toBe(deptTemplate.body.id)
    expect((await preview()).html).toMatch(/^<p>dept<\/p><div style="[^"]+">Campaign banner<\/div>$/)
    const own = await create(w.marketer.token, { name: 'Own', html: '<p>own</p>' })
    await t.request('PATCH', `/api/employees/${w.employee.id}`, {
      token: w.marketer.token,
      json: { signatureTemplateId: own.body.id },
    })
    expect((await preview()).templateId).toBe(own.body.id)
    await t.request('DELETE', `/api/signatures/${own.body.id}`, { token: w.marketer.token })
    expect((await preview()).templateId).toBe(deptTemplate.body.id)
  })

  it('previews unsaved HTML for any employee, escaping profile values', async () => {
    const res = await t.request('POST', '/api/signatures/preview', {
      token: t.a.marketer.token,
      json: {
        html: '<b>{{firstName}}</b> {{jobTitle}}<img src=x onerror=alert(1)>',
        employeeId: t.a.employee.id,
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      html: '<b>Erik</b> Sales &lt;Lead&gt;<img src="x" /><div style="width:600px;max-width:100%;height:100px;background-color:#e5e7eb;color:#6b7280;text-align:center;line-height:100px">Campaign banner</div>',
      templateId: null,
    })
  })

  it('does not let an employee preview as someone else', async () => {
    const res = await t.request('POST', '/api/signatures/preview', {
      token: t.a.employee.token,
      json: { employeeId: t.a.marketer.id },
    })
    expect(res.status).toBe(403)
  })

  it('does not preview an employee of another workspace', async () => {
    const res = await t.request('POST', '/api/signatures/preview', {
      token: t.b.marketer.token,
      json: { employeeId: t.a.employee.id },
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', 'There is no such employee.', 'employeeId'))
  })
})

describe('isolation between workspaces', () => {
  it.each([
    ['GET', undefined],
    ['PATCH', { name: 'Hacked', html: '<p>hacked</p>' }],
    ['DELETE', undefined],
  ])('%s /api/signatures/:id of another workspace answers 404 and changes nothing', async (method, json) => {
    const own = await create(t.a.marketer.token, { name: `Iso ${method}`, html: '<p>mine</p>' })
    const res = await t.request(method, `/api/signatures/${own.body.id}`, { token: t.b.marketer.token, json })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Signature template not found.'))
    const still = await t.request('GET', `/api/signatures/${own.body.id}`, { token: t.a.marketer.token })
    expect(still.body).toMatchObject({ name: `Iso ${method}`, html: '<p>mine</p>' })
  })

  it('does not preview another workspace’s template', async () => {
    const own = await create(t.a.marketer.token, { name: 'Secret', html: '<p>secret</p>' })
    const res = await t.request('POST', '/api/signatures/preview', {
      token: t.b.marketer.token,
      json: { templateId: own.body.id },
    })
    expect(res.body).toEqual(
      apiError('validation_failed', 'There is no such signature template.', 'templateId'),
    )
  })
})

describe('PATCH /api/signatures/:id', () => {
  it('sanitises changed HTML', async () => {
    const own = await create(t.a.marketer.token, { name: 'Edit', html: '<p>a</p>' })
    const res = await t.request('PATCH', `/api/signatures/${own.body.id}`, {
      token: t.a.marketer.token,
      json: { html: '<p>b</p><iframe src="https://evil.example"></iframe>' },
    })
    expect(res.body.html).toBe('<p>b</p>')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const win1252 = (text: string) =>
  Uint8Array.from([...text].map((ch) => ({ ä: 0xe4, ö: 0xf6, ü: 0xfc, ß: 0xdf })[ch] ?? ch.charCodeAt(0)))

function upload(token: string, body: BodyInit, query = 'kind=contacts', type = 'text/csv') {
  return t.request('POST', `/api/imports?${query}`, { token, body, headers: { 'content-type': type } })
}

describe('POST /api/imports', () => {
  it('detects a German Excel export and suggests the mapping', async () => {
    const file = win1252(
      'E-Mail;Vorname;Nachname;Telefon;Lieblingsfarbe\r\nmax@müller.de;Jürgen;Größe;030 1234;grün\r\n',
    )
    const res = await upload(t.a.marketer.token, file, 'kind=contacts&fileName=kontakte.csv')
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      kind: 'contacts',
      fileName: 'kontakte.csv',
      dialect: { encoding: 'windows-1252', delimiter: ';', header: true },
      headers: ['E-Mail', 'Vorname', 'Nachname', 'Telefon', 'Lieblingsfarbe'],
      mapping: ['email', 'firstName', 'lastName', 'phone', null],
      mode: 'add_update',
      status: 'uploaded',
      preview: [['max@müller.de', 'Jürgen', 'Größe', '030 1234', 'grün']],
    })
    const again = await t.request('GET', `/api/imports/${res.body.id}`, { token: t.a.marketer.token })
    expect(again.body).toEqual(res.body)
  })

  it('takes a multipart upload with the file name', async () => {
    const form = new FormData()
    form.set(
      'file',
      new File(['\uFEFFDomain,Firma\nhttps://www.acme.com/x,Acme\n'], 'firmen.csv', { type: 'text/csv' }),
    )
    const res = await t.request('POST', '/api/imports?kind=accounts', {
      token: t.a.marketer.token,
      body: form,
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      fileName: 'firmen.csv',
      dialect: { encoding: 'utf-8-bom', delimiter: ',', header: true },
      mapping: ['domain', 'name'],
      preview: [['https://www.acme.com/x', 'Acme']],
    })
  })

  it('names columns of a file without a header row', async () => {
    const res = await upload(t.a.marketer.token, 'max@x.de,Max\nanna@y.de,Anna\n')
    expect(res.body).toMatchObject({
      dialect: { header: false },
      headers: ['Column 1', 'Column 2'],
      mapping: [null, null],
      preview: [
        ['max@x.de', 'Max'],
        ['anna@y.de', 'Anna'],
      ],
    })
  })

  it.each([
    [
      'kind=people',
      'text/csv',
      'a',
      422,
      apiError('validation_failed', 'Choose one of: accounts, contacts.', 'kind'),
    ],
    ['kind=contacts', 'text/csv', '', 422, apiError('validation_failed', 'The file is empty.', 'file')],
    [
      'kind=contacts',
      'application/json',
      '{}',
      415,
      apiError(
        'unsupported_media_type',
        'Send the CSV file as the request body (Content-Type: text/csv) or as multipart form field "file".',
        'file',
      ),
    ],
    [
      'kind=contacts&targetGroupId=nope',
      'text/csv',
      'a',
      422,
      apiError('validation_failed', 'This is not a valid id.', 'targetGroupId'),
    ],
  ])('refuses %s (%s) with %i', async (query, type, body, status, error) => {
    const res = await upload(t.a.marketer.token, body, query, type)
    expect(res.status).toBe(status)
    expect(res.body).toEqual(error)
  })

  it('is not for employees', async () => {
    const res = await upload(t.a.employee.token, 'email\nmax@x.de\n')
    expect(res.status).toBe(403)
  })
})

describe('PATCH /api/imports/:id', () => {
  it('sets mapping and mode, with custom fields', async () => {
    const up = await upload(t.a.marketer.token, 'Mail,Lieblingsfarbe\nmax@x.de,grün\n')
    const res = await t.request('PATCH', `/api/imports/${up.body.id}`, {
      token: t.a.marketer.token,
      json: { mapping: ['email', 'custom.favouriteColour'], mode: 'add' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ mapping: ['email', 'custom.favouriteColour'], mode: 'add' })
  })

  it('keeps the restore choice and the last report, for the wizard to show again', async () => {
    const up = await upload(t.a.marketer.token, 'email\nkeep@report-test.com\nnot-an-email\n')
    expect(up.body).toMatchObject({ restoreDeleted: false, report: null, error: null })
    const patched = await t.request('PATCH', `/api/imports/${up.body.id}`, {
      token: t.a.marketer.token,
      json: { restoreDeleted: true },
    })
    expect(patched.body.restoreDeleted).toBe(true)
    const dry = await t.request('POST', `/api/imports/${up.body.id}/dry-run?wait=true`, {
      token: t.a.marketer.token,
    })
    const again = await t.request('GET', `/api/imports/${up.body.id}`, { token: t.a.marketer.token })
    expect(again.body).toMatchObject({ status: 'checked', restoreDeleted: true, report: dry.body })
    expect(again.body.report).toMatchObject({ dryRun: true, new: 1, invalid: 1 })
  })

  it('reads the file again with the delimiter and encoding the user chooses', async () => {
    const file = win1252('E-Mail;Vorname;Firma\r\nmax@x.de;Jürgen;Müller, Schmidt & Co\r\n')
    const up = await upload(t.a.marketer.token, file)
    expect(up.body.dialect).toEqual({ encoding: 'windows-1252', delimiter: ';', header: true })
    const patch = (json: object) =>
      t.request('PATCH', `/api/imports/${up.body.id}`, { token: t.a.marketer.token, json })
    // Read with commas, the columns are others; the mapping is suggested for them.
    const commas = await patch({ delimiter: ',' })
    expect(commas.body).toMatchObject({
      dialect: { encoding: 'windows-1252', delimiter: ',', header: true },
      headers: ['E-Mail;Vorname;Firma'],
      mapping: [null],
      preview: [['max@x.de;Jürgen;Müller', ' Schmidt & Co']],
    })
    // Back to semicolons, read as UTF-8: the umlauts are not what the file meant, and it shows.
    const utf8 = await patch({ delimiter: ';', encoding: 'utf-8' })
    expect(utf8.body).toMatchObject({
      dialect: { encoding: 'utf-8', delimiter: ';' },
      headers: ['E-Mail', 'Vorname', 'Firma'],
      mapping: ['email', 'firstName', 'company'],
      preview: [['max@x.de', 'J\uFFFDrgen', 'M\uFFFDller, Schmidt & Co']],
    })
    // A mapping sent with the change is checked against the new columns.
    expect((await patch({ encoding: 'windows-1252', mapping: ['email', null] })).body).toEqual(
      apiError('validation_failed', 'Give one entry per column: the file has 3.', 'mapping'),
    )
    const back = await patch({ encoding: 'windows-1252', mapping: ['email', null, 'custom.firma'] })
    expect(back.body).toMatchObject({
      mapping: ['email', null, 'custom.firma'],
      preview: [['max@x.de', 'Jürgen', 'Müller, Schmidt & Co']],
    })
    const dry = await t.request('POST', `/api/imports/${up.body.id}/dry-run?wait=true`, {
      token: t.a.marketer.token,
    })
    expect(dry.body).toMatchObject({ new: 1, invalid: 0 })
  })

  it.each([
    [{ delimiter: ':' }, 'Choose a comma, a semicolon, a tab ("\\t") or a vertical bar ("|").', 'delimiter'],
    [{ encoding: 'utf-16' }, 'Choose one of: utf-8, utf-8-bom, windows-1252.', 'encoding'],
    [{ mapping: ['firstName', null] }, 'Map a column to "email": it identifies each contact.', 'mapping'],
    [{ mapping: ['email'] }, 'Give one entry per column: the file has 2.', 'mapping'],
    [{ mapping: ['email', 'email'] }, '"email" is mapped to more than one column.', 'mapping.1'],
    [
      { mapping: ['email', 'shoeSize'] },
      '"shoeSize" is not a field of contacts; use one of email, firstName, lastName, phone, company, jobTitle, language, timeZone, address, labels, consent, consentMethod, status, trackingOptOut or custom.<name>.',
      'mapping.1',
    ],
    [{ mode: 'synchronise' }, 'Synchronising needs a target group: upload the file into one.', 'mode'],
    [{ mode: 'replace' }, 'Choose one of: add, update, add_update, synchronise.', 'mode'],
    [{ mode: 'add', colour: 'red' }, 'Unknown field: colour.', 'colour'],
  ])('answers 422 for %j and changes nothing', async (json, message, field) => {
    const up = await upload(t.a.marketer.token, 'Mail,Name\nmax@x.de,Max\n')
    const res = await t.request('PATCH', `/api/imports/${up.body.id}`, { token: t.a.marketer.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const after = await t.request('GET', `/api/imports/${up.body.id}`, { token: t.a.marketer.token })
    expect(after.body).toEqual(up.body)
  })
})

describe('isolation between workspaces', () => {
  it('hides one workspace’s imports from another', async () => {
    const up = await upload(t.a.marketer.token, 'email\nsecret@a.example\n')
    for (const [method, json] of [
      ['GET', undefined],
      ['PATCH', { mode: 'add' }],
    ] as const) {
      const res = await t.request(method, `/api/imports/${up.body.id}`, { token: t.b.marketer.token, json })
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Import not found.'))
    }
    const listB = await t.request('GET', '/api/imports', { token: t.b.marketer.token })
    expect(listB.body.map((i: { id: string }) => i.id)).not.toContain(up.body.id)
    const listA = await t.request('GET', '/api/imports', { token: t.a.marketer.token })
    expect(listA.body.map((i: { id: string }) => i.id)).toContain(up.body.id)
    const after = await t.request('GET', `/api/imports/${up.body.id}`, { token: t.a.marketer.token })
    expect(after.body.mode).toBe('add_update')
  })

  it('refuses a target group of another workspace', async () => {
    const group = await t.db
      .insertInto('target_group')
      .values({ workspace_id: t.a.id, name: 'Key accounts', kind: 'contact' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const res = await upload(t.b.marketer.token, 'email\nx@y.de\n', `kind=contacts&targetGroupId=${group.id}`)
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Target group not found.'))
    const wrongKind = await upload(
      t.a.marketer.token,
      'domain\nacme.com\n',
      `kind=accounts&targetGroupId=${group.id}`,
    )
    expect(wrongKind.status).toBe(422)
    expect(wrongKind.body).toEqual(
      apiError(
        'validation_failed',
        '"Key accounts" is a group of contacts; import contacts into it.',
        'targetGroupId',
      ),
    )
  })
})

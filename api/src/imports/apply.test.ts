import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'
import { importSteps } from '../../test/imports.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const { importFile, run } = importSteps(() => t)

async function contacts(w: TestWorkspace) {
  return t.db
    .selectFrom('contact')
    .select([
      'email',
      'first_name',
      'last_name',
      'phone',
      'status',
      'labels',
      'custom_fields',
      'source',
      'deleted_at',
    ])
    .where('workspace_id', '=', w.id)
    .orderBy('email')
    .execute()
}

async function members(groupId: string) {
  const rows = await t.db
    .selectFrom('target_group_contact')
    .innerJoin('contact', 'contact.id', 'target_group_contact.contact_id')
    .select('contact.email')
    .where('group_id', '=', groupId as never)
    .orderBy('contact.email')
    .execute()
  return rows.map((r) => r.email)
}

async function group(w: TestWorkspace, name: string) {
  const row = await t.db
    .insertInto('target_group')
    .values({ workspace_id: w.id, name, kind: 'contact' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id as string
}

const zero = {
  new: 0,
  updated: 0,
  unchanged: 0,
  invalid: 0,
  duplicates: 0,
  deleted: 0,
  restored: 0,
  skipped: 0,
  leaving: 0,
  joined: 0,
}

describe('importing contacts', () => {
  it('dry-runs without changing anything, then applies exactly what it announced', async () => {
    const w = await t.addWorkspace('Exact')
    const lines = ['E-Mail;Vorname;Nachname;Telefon;Labels']
    for (let i = 1; i <= 100; i++) {
      // Every 20th row has an invalid email: 5 % of the file.
      const email = i % 20 === 0 ? `broken-${i}-at-example` : `person${i}@firma${i % 7}.de`
      lines.push(`${email};Vor${i};Nach${i};+49 30 1234${String(i).padStart(3, '0')};kunde, messe`)
    }
    lines.splice(40, 0, '', '  ')
    const id = await importFile(w, `${lines.join('\r\n')}\r\n`)
    const dry = await run(w, id, 'dry-run')
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({
      ...zero,
      dryRun: true,
      mode: 'add_update',
      total: 100,
      new: 95,
      invalid: 5,
    })
    expect(dry.body.invalidRows[0]).toEqual({
      line: 21,
      field: 'email',
      reason: 'Enter a valid email address, such as max@acme.com.',
    })
    expect(dry.body.invalidRows.map((r: { line: number }) => r.line)).toEqual([21, 43, 63, 83, 103])
    expect(await contacts(w)).toEqual([])

    const applied = await run(w, id, 'apply')
    expect(applied.status).toBe(200)
    expect({ ...applied.body, dryRun: true }).toEqual(dry.body)
    const stored = await contacts(w)
    expect(stored).toHaveLength(95)
    expect(stored.find((c) => c.email === 'person1@firma1.de')).toMatchObject({
      first_name: 'Vor1',
      last_name: 'Nach1',
      phone: '+49301234001',
      labels: ['kunde', 'messe'],
      source: 'import',
      status: 'active',
    })
  })

  it('reads Windows-1252, quoted newlines and delimiters, and "Name <addr>" values', async () => {
    const w = await t.addWorkspace('Messy')
    const file = Uint8Array.from(
      [...'Kontakt;Notiz\r\n"Jürgen Größe <J.Groesse@Firma.de>";"Zeile 1\r\nZeile 2; mit Semikolon"\r\n'].map(
        (ch) => ({ ü: 0xfc, ö: 0xf6, ß: 0xdf })[ch] ?? ch.charCodeAt(0),
      ),
    )
    const id = await importFile(w, file, 'kind=contacts', { mapping: ['email', 'custom.notiz'] })
    const res = await run(w, id, 'apply')
    expect(res.body).toMatchObject({ total: 1, new: 1, invalid: 0 })
    expect(await contacts(w)).toEqual([
      expect.objectContaining({
        email: 'j.groesse@firma.de',
        first_name: 'Jürgen',
        last_name: 'Größe',
        custom_fields: { notiz: 'Zeile 1\r\nZeile 2; mit Semikolon' },
      }),
    ])
  })

  it('stores quotes, backslashes, brackets, tabs and any script exactly as the file has them', async () => {
    // Staged rows travel to the database as JSON text: nothing in a cell may change on the way.
    const w = await t.addWorkspace('Verbatim')
    const names = [
      ['"Max" \\ O\'Brien', '[1,2]'],
      ['{"a": null}', 'Zoë \\u00e9 \t ende'],
      ['Σωκράτης 🙂', '王 \\n'],
    ]
    const lines = [
      'E-Mail,Vorname,Nachname,Company',
      ...names.map(([first, last], i) => {
        const quote = (v: string) => `"${v.replaceAll('"', '""')}"`
        return `p${i}@verbatim.de,${quote(first!)},${quote(last!)},${quote(`Firma ${first}`)}`
      }),
    ]
    const applied = await run(w, await importFile(w, `${lines.join('\n')}\n`), 'apply')
    expect(applied.body).toMatchObject({ total: 3, new: 3, invalid: 0 })
    const stored = await contacts(w)
    expect(stored.map((c) => [c.first_name, c.last_name])).toEqual(
      names.map(([first, last]) => [first!.trim(), last!.trim()]),
    )
  })

  it('reports in-file duplicates and case collisions, applying the first row only', async () => {
    const w = await t.addWorkspace('Dupes')
    const id = await importFile(
      w,
      'email,first name\nmax@x.de,Max\nMAX@x.de,Maxi\nanna@y.de,Anna\nmax@x.de,Maximilian\n',
    )
    const res = await run(w, id, 'apply')
    expect(res.body).toMatchObject({ total: 4, new: 2, duplicates: 2 })
    expect(res.body.duplicateRows).toEqual([
      { line: 3, firstLine: 2, key: 'MAX@x.de', caseCollision: true },
      { line: 5, firstLine: 2, key: 'max@x.de', caseCollision: false },
    ])
    expect((await contacts(w)).map((c) => [c.email, c.first_name])).toEqual([
      ['anna@y.de', 'Anna'],
      ['max@x.de', 'Max'],
    ])
  })

  it('refuses a mapping without the email column before reading any row', async () => {
    const w = await t.addWorkspace('No key')
    const id = await importFile(w, 'Vorname,Nachname\nMax,Muster\n')
    const res = await run(w, id, 'dry-run')
    expect(res.status).toBe(422)
    expect(res.body).toEqual(
      apiError('validation_failed', 'Map a column to "email": it identifies each contact.', 'mapping'),
    )
  })

  it('never overwrites an unsubscribe, and never brings back a deleted contact unless asked', async () => {
    const w = await t.addWorkspace('Suppressed')
    const first = await importFile(w, 'email,first name\nunsub@x.de,Una\ngone@x.de,Gone\n')
    await run(w, first, 'apply')
    await t.db
      .updateTable('contact')
      .set({ status: 'unsubscribed' })
      .where('email', '=', 'unsub@x.de')
      .execute()
    await t.db
      .updateTable('contact')
      .set({ deleted_at: new Date(), deleted_reason: 'test' })
      .where('email', '=', 'gone@x.de')
      .execute()

    const again = await importFile(w, 'email,first name\nunsub@x.de,Unity\ngone@x.de,Back\n')
    const res = await run(w, again, 'apply')
    expect(res.body).toMatchObject({ total: 2, new: 0, updated: 1, deleted: 1, restored: 0 })
    const stored = await contacts(w)
    expect(stored.find((c) => c.email === 'unsub@x.de')).toMatchObject({
      status: 'unsubscribed',
      first_name: 'Unity',
    })
    expect(stored.find((c) => c.email === 'gone@x.de')).toMatchObject({
      first_name: 'Gone',
      deleted_at: expect.any(Date),
    })

    const restore = await importFile(w, 'email,first name\ngone@x.de,Back\n', 'kind=contacts', {
      restoreDeleted: true,
    })
    const restored = await run(w, restore, 'apply')
    expect(restored.body).toMatchObject({ restored: 1, updated: 1, deleted: 0 })
    expect((await contacts(w)).find((c) => c.email === 'gone@x.de')).toMatchObject({
      first_name: 'Back',
      deleted_at: null,
    })
  })

  it('synchronises a group: members not in the file leave it but stay contacts', async () => {
    const w = await t.addWorkspace('Sync')
    const g = await group(w, 'Newsletter')
    const first = await importFile(w, 'email\na@x.de\nb@x.de\nc@x.de\n', `kind=contacts&targetGroupId=${g}`)
    expect((await run(w, first, 'apply')).body).toMatchObject({ new: 3, joined: 3 })
    const sync = await importFile(w, 'email\nb@x.de\nd@x.de\n', `kind=contacts&targetGroupId=${g}`, {
      mode: 'synchronise',
    })
    const dry = await run(w, sync, 'dry-run')
    expect(dry.body).toMatchObject({ new: 1, unchanged: 1, joined: 1, leaving: 2 })
    expect(await members(g)).toEqual(['a@x.de', 'b@x.de', 'c@x.de'])
    await run(w, sync, 'apply')
    expect(await members(g)).toEqual(['b@x.de', 'd@x.de'])
    expect((await contacts(w)).map((c) => c.email)).toEqual(['a@x.de', 'b@x.de', 'c@x.de', 'd@x.de'])

    const undone = await run(w, sync, 'undo')
    expect(undone.status).toBe(200)
    expect(undone.body.status).toBe('undone')
    expect(await members(g)).toEqual(['a@x.de', 'b@x.de', 'c@x.de'])
    expect((await contacts(w)).map((c) => c.email)).toEqual(['a@x.de', 'b@x.de', 'c@x.de'])
  })

  it('undoes updates back to the earlier values, and an earlier import around a later one', async () => {
    const w = await t.addWorkspace('Undo')
    const first = await importFile(w, 'email,first name,Labels\nmax@x.de,Max,vip\neva@x.de,Eva,\n')
    await run(w, first, 'apply')
    const second = await importFile(w, 'email,first name,Labels\nmax@x.de,Maximilian,messe\n')
    await run(w, second, 'apply')
    expect((await contacts(w))[1]).toMatchObject({ first_name: 'Maximilian', labels: ['vip', 'messe'] })
    // The earlier import goes; what the later one changed since stays.
    const early = await run(w, first, 'undo')
    expect(early.body).toMatchObject({ status: 'undone', undo: { kept: 1, keptTargets: ['max@x.de'] } })
    expect((await contacts(w)).map((c) => [c.email, c.first_name])).toEqual([['max@x.de', 'Maximilian']])
    await run(w, second, 'undo')
    expect((await contacts(w))[0]).toMatchObject({ first_name: 'Max', labels: ['vip'] })
    const twice = await run(w, second, 'apply')
    expect(twice.status).toBe(409)
    expect((await run(w, second, 'undo')).body).toEqual(
      apiError('conflict', 'Only an applied import can be undone.', 'id'),
    )
  })

  it('undoes only the newest of the imports applied before undo kept their write time', async () => {
    const w = await t.addWorkspace('Undo legacy')
    const first = await importFile(w, 'email\nold@x.de\n')
    await run(w, first, 'apply')
    await run(w, await importFile(w, 'email\nnew@x.de\n'), 'apply')
    await t.db
      .updateTable('import_job')
      .set({ written_at: null })
      .where('id', '=', first as never)
      .execute()
    expect((await run(w, first, 'undo')).body).toEqual(
      apiError('conflict', 'A later import was applied; undo that one first.', 'id'),
    )
  })

  it('undoes only what is still as the import left it, and lists what changed since', async () => {
    const w = await t.addWorkspace('Undo later changes')
    const g = await group(w, 'Fair')
    const token = w.marketer.token
    const first = await importFile(w, 'email,first name\nedited@x.de,Eda\nsame@x.de,Sam\n')
    await run(w, first, 'apply')
    const file = [
      'email,first name',
      'edited@x.de,Edith', // updated, then edited by hand
      'same@x.de,Samuel', // updated, untouched since
      'new@x.de,Nia', // created, untouched since
      'blocked@x.de,Bo', // created, then blacklisted
      'gone@x.de,Gil', // created, then deleted
      'moved@x.de,Mo', // created, its membership removed and added again
    ].join('\n')
    const second = await importFile(w, `${file}\n`, `kind=contacts&targetGroupId=${g}`)
    expect((await run(w, second, 'apply')).body).toMatchObject({ new: 4, updated: 2, joined: 6 })
    const id = async (email: string) =>
      (await t.request('GET', `/api/contacts?q=${email}`, { token })).body.items[0].id as string
    const edited = await id('edited@x.de')
    expect(
      (await t.request('PATCH', `/api/contacts/${edited}`, { token, json: { lastName: 'Hand' } })).status,
    ).toBe(200)
    await t.request('POST', `/api/contacts/${await id('blocked@x.de')}/actions/blacklist`, {
      token,
      json: { reason: 'Asked by phone' },
    })
    await t.request('DELETE', `/api/contacts/${await id('gone@x.de')}?reason=Left`, { token })
    const moved = await id('moved@x.de')
    const membership = (verb: string) =>
      t.request('POST', `/api/target-groups/${g}/members/${verb}`, { token, json: { ids: [moved] } })
    expect((await membership('remove')).body).toMatchObject({ changed: 1 })
    expect((await membership('add')).body).toMatchObject({ changed: 1 })

    const undone = await run(w, second, 'undo')
    expect(undone.body.undo).toEqual({
      kept: 4,
      keptTargets: ['blocked@x.de', 'edited@x.de', 'gone@x.de', 'moved@x.de'],
    })
    const stored = await contacts(w)
    expect(stored.map((c) => [c.email, c.first_name, c.status, c.deleted_at !== null])).toEqual([
      ['blocked@x.de', 'Bo', 'blacklisted', false],
      ['edited@x.de', 'Edith', 'active', false],
      ['gone@x.de', 'Gil', 'active', true],
      ['moved@x.de', 'Mo', 'active', false],
      ['same@x.de', 'Sam', 'active', false],
    ])
    // The group the import joined them to: left by the existing contacts, kept by the created ones kept.
    expect(await members(g)).toEqual(['blocked@x.de', 'gone@x.de', 'moved@x.de'])
    const history = await t.request('GET', `/api/contacts/${await id('blocked@x.de')}/status-history`, {
      token,
    })
    expect(history.body[0]).toMatchObject({ to: 'blacklisted', reason: 'Asked by phone' })
  })

  it('records who imported, when it was applied and when undone, for the history', async () => {
    const w = await t.addWorkspace('History')
    const named = await t.request('PATCH', `/api/users/${w.marketer.id}`, {
      token: w.admin.token,
      json: { firstName: 'Mia', lastName: 'Berg' },
    })
    expect(named.status, named.text).toBe(200)
    const id = await importFile(w, 'email\nada@history.de\n')
    const listed = async () => (await t.request('GET', '/api/imports', { token: w.marketer.token })).body[0]
    const byMia = { id: w.marketer.id, name: 'Mia Berg' }
    expect(await listed()).toMatchObject({ id, createdBy: byMia, appliedAt: null, undoneAt: null })
    await run(w, id, 'apply')
    const applied = await listed()
    expect(Date.parse(applied.appliedAt)).toBeGreaterThanOrEqual(Date.parse(applied.createdAt))
    await run(w, id, 'undo')
    const one = (await t.request('GET', `/api/imports/${id}`, { token: w.marketer.token })).body
    expect(one).toMatchObject({ createdBy: byMia, appliedAt: applied.appliedAt, status: 'undone' })
    expect(Date.parse(one.undoneAt)).toBeGreaterThanOrEqual(Date.parse(applied.appliedAt))
  })

  it('records consent from a column, keeps a consent on record, withdraws on "no", and undoes', async () => {
    const w = await t.addWorkspace('Consent')
    const consents = async () =>
      (
        await t.db
          .selectFrom('contact')
          .select(['email', 'consent_given_at', 'consent_method'])
          .where('workspace_id', '=', w.id)
          .orderBy('email')
          .execute()
      ).map((c) => [c.email, c.consent_given_at?.toISOString().slice(0, 10) ?? null, c.consent_method])
    const first = await importFile(w, 'email,consent\nkept@x.de,2026-01-05\nwithdrawn@x.de,ja\n', undefined, {
      mapping: ['email', 'consent'],
    })
    expect((await run(w, first, 'apply')).body).toMatchObject({ new: 2 })
    const today = new Date().toISOString().slice(0, 10)
    expect(await consents()).toEqual([
      ['kept@x.de', '2026-01-05', 'Stated in an imported file'],
      ['withdrawn@x.de', today, 'Stated in an imported file'],
    ])

    const file = [
      'E-Mail;Einwilligung;Rechtsgrundlage',
      'kept@x.de;01.03.2026;Webinar form',
      'withdrawn@x.de;nein;',
      'new@x.de;02.03.2026;Double opt-in',
      'blank@x.de;;Fair',
      'bad@x.de;maybe;',
      'future@x.de;2999-01-01;',
    ].join('\n')
    const second = await importFile(w, file)
    const job = (await t.request('GET', `/api/imports/${second}`, { token: w.marketer.token })).body
    expect(job.mapping).toEqual(['email', 'consent', 'consentMethod'])
    const report = (await run(w, second, 'apply')).body
    expect(report).toMatchObject({ new: 2, updated: 1, unchanged: 1, invalid: 2 })
    expect(report.invalidRows).toEqual([
      { line: 6, field: 'consent', reason: 'Write yes or no, or the day consent was given.' },
      { line: 7, field: 'consent', reason: 'Consent cannot be given in the future.' },
    ])
    expect(await consents()).toEqual([
      ['blank@x.de', null, null],
      ['kept@x.de', '2026-01-05', 'Stated in an imported file'],
      ['new@x.de', '2026-03-02', 'Double opt-in'],
      ['withdrawn@x.de', null, null],
    ])

    await run(w, second, 'undo')
    expect(await consents()).toEqual([
      ['kept@x.de', '2026-01-05', 'Stated in an imported file'],
      ['withdrawn@x.de', today, 'Stated in an imported file'],
    ])
  })

  it('imports statuses and opt-outs, never lifting a suppression or an opt-out, and undoes them', async () => {
    const w = await t.addWorkspace('Statuses')
    const stored = async () =>
      (
        await t.db
          .selectFrom('contact')
          .select(['email', 'status', 'tracking_opt_out_at'])
          .where('workspace_id', '=', w.id)
          .orderBy('email')
          .execute()
      ).map((c) => [c.email, c.status, c.tracking_opt_out_at?.toISOString().slice(0, 10) ?? null])
    const history = async (email: string) => {
      const [c] = (await t.request('GET', `/api/contacts?q=${email}`, { token: w.marketer.token })).body.items
      const res = await t.request('GET', `/api/contacts/${c.id}/status-history`, { token: w.marketer.token })
      return res.body.map((h: { from: string; to: string; reason: string }) => [h.from, h.to, h.reason])
    }
    const first = await importFile(
      w,
      'E-Mail;Status;Opt-out\nun@x.de;abgemeldet;\nact@x.de;Aktiv;nein\nopt@x.de;;ja\nbad@x.de;vielleicht;\nodd@x.de;;manchmal\n',
    )
    const job = (await t.request('GET', `/api/imports/${first}`, { token: w.marketer.token })).body
    expect(job.mapping).toEqual(['email', 'status', 'trackingOptOut'])
    const report = (await run(w, first, 'apply')).body
    expect(report).toMatchObject({ new: 3, invalid: 2 })
    expect(report.invalidRows).toEqual([
      {
        line: 5,
        field: 'status',
        reason: 'Write active, not confirmed, unsubscribed, hard bounce, spam report or blacklisted.',
      },
      { line: 6, field: 'trackingOptOut', reason: 'Write yes or no, or the day it was asked for.' },
    ])
    const today = new Date().toISOString().slice(0, 10)
    expect(await stored()).toEqual([
      ['act@x.de', 'active', null],
      ['opt@x.de', 'active', today],
      ['un@x.de', 'unsubscribed', null],
    ])
    expect(await history('un@x.de')).toEqual([[null, 'unsubscribed', 'Imported']])

    // Our own export's columns: a file says "active" and "no", and nothing is lifted.
    const second = await importFile(
      w,
      'email,status,trackingOptOutAt\nun@x.de,active,no\nact@x.de,blacklisted,\nopt@x.de,active,no\nnew@x.de,hard_bounce,2026-03-01\n',
    )
    expect((await run(w, second, 'apply')).body).toMatchObject({ new: 1, updated: 1, unchanged: 2 })
    expect(await stored()).toEqual([
      ['act@x.de', 'blacklisted', null],
      ['new@x.de', 'hard_bounce', '2026-03-01'],
      ['opt@x.de', 'active', today],
      ['un@x.de', 'unsubscribed', null],
    ])
    expect(await history('act@x.de')).toEqual([
      ['active', 'blacklisted', 'Imported'],
      [null, 'active', 'Imported'],
    ])

    await run(w, second, 'undo')
    expect(await stored()).toEqual([
      ['act@x.de', 'active', null],
      ['opt@x.de', 'active', today],
      ['un@x.de', 'unsubscribed', null],
    ])
    expect((await history('act@x.de'))[0]).toEqual(['blacklisted', 'active', 'Import undone'])

    // Asked explicitly, a file lifts an unsubscribe and an opt-out.
    const lifting = await importFile(
      w,
      'email,status,opt-out\nun@x.de,active,\nopt@x.de,,nein\n',
      undefined,
      {
        liftSuppressions: true,
      },
    )
    const job2 = (await t.request('GET', `/api/imports/${lifting}`, { token: w.marketer.token })).body
    expect(job2).toMatchObject({ liftSuppressions: true, mapping: ['email', 'status', 'trackingOptOut'] })
    expect((await run(w, lifting, 'apply')).body).toMatchObject({ updated: 2 })
    expect(await stored()).toEqual([
      ['act@x.de', 'active', null],
      ['opt@x.de', 'active', null],
      ['un@x.de', 'active', null],
    ])
    expect((await history('un@x.de'))[0]).toEqual(['unsubscribed', 'active', 'Imported'])
  })

  it('serves the rejected rows as CSV with a reason column', async () => {
    const w = await t.addWorkspace('Rejected')
    const id = await importFile(w, 'email,phone\nok@x.de,\nnope,\nbad@x.de,12\nok@x.de,\nsum@x.de,=1+2\n')
    const res = await t.app.request(`/api/imports/${id}/rejected.csv`, {
      headers: { authorization: `Bearer ${w.marketer.token}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const text = (await res.text()).replace(/^\uFEFF/, '')
    expect(text.split('\r\n')).toEqual([
      'line,email,phone,field,reason',
      '3,nope,,email,"Enter a valid email address, such as max@acme.com."',
      '4,bad@x.de,12,phone,"Enter a valid phone number; use the +country code for numbers outside Germany."',
      '5,ok@x.de,,email,Same email as line 2.',
      '6,sum@x.de,\'=1+2,phone,"Enter a valid phone number; use the +country code for numbers outside Germany."',
      '',
    ])
  })

  it('keeps one workspace’s import away from another', async () => {
    const id = await importFile(t.a, 'email\nsecret@a.example\n')
    for (const step of ['dry-run', 'apply', 'undo'] as const) {
      const res = await run(t.b, id, step)
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Import not found.'))
    }
    const rejected = await t.request('GET', `/api/imports/${id}/rejected.csv`, { token: t.b.marketer.token })
    expect(rejected.status).toBe(404)
    expect(await contacts(t.a)).toEqual([])
  })
})

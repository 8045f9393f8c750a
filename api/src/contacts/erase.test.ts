import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { importSteps } from '../../test/imports.ts'
import { statsFixtures } from '../stats/fixture-queries.ts'
import { refreshRollups } from '../stats/rollup.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const { importFile, run } = importSteps(() => t)

describe('POST /api/contacts/:id/erase', () => {
  it('takes the address from the import undo records, the email leads and the import reports too', async () => {
    const w = t.a
    const token = w.marketer.token
    const get = async (path: string) => (await t.request('GET', path, { token })).body
    const f = statsFixtures(t.db, w.id)
    await f.setTier('identified')
    // Emailed before Eva was a contact: her address (and Otto's) is an email lead that clicked.
    const d = await f.delivery(await f.campaign('Webinar'), w.employee.id, {
      leadDomains: ['erase-test.de'],
      leadEmails: ['eva@erase-test.de', 'otto@erase-test.de'],
    })
    await f.event(d, 'click', new Date(Date.now() - 3_600_000).toISOString())
    await refreshRollups(t.db)
    const leads = async () =>
      (await get('/api/leads/contacts?includeMachine=true')).items
        .map((l: { value: string }) => l.value)
        .sort()
    expect(await leads()).toEqual(['eva@erase-test.de', 'otto@erase-test.de'])

    // Imported twice (the second import keeps her first row as its undo record), once with a duplicate.
    const first = await importFile(w, 'email,first name\neva@erase-test.de,Eva\nEVA@erase-test.de,Eve\n')
    const applied = await run(w, first, 'apply')
    expect(applied.body.duplicateRows).toEqual([
      { line: 3, firstLine: 2, key: 'EVA@erase-test.de', caseCollision: true },
    ])
    const second = await importFile(w, 'email,first name\neva@erase-test.de,Evelyn\n')
    expect((await run(w, second, 'apply')).body).toMatchObject({ updated: 1 })
    const eva = (await get('/api/contacts?q=eva@erase-test.de')).items[0]

    await t.request('DELETE', `/api/contacts/${eva.id}`, { token })
    expect((await t.request('POST', `/api/contacts/${eva.id}/erase`, { token })).status).toBe(204)

    const changes = await t.db
      .selectFrom('import_change')
      .select('id')
      .where('entity_id', '=', eva.id)
      .execute()
    expect(changes).toEqual([])
    const sent = await t.db
      .selectFrom('delivery')
      .select('lead_emails')
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow()
    expect(sent.lead_emails).toEqual(['otto@erase-test.de'])
    expect(await leads()).toEqual(['otto@erase-test.de'])
    expect((await get(`/api/imports/${first}`)).report.duplicateRows).toEqual([])
    // Undoing the imports brings nothing of her back.
    expect((await run(w, second, 'undo')).status).toBe(200)
    expect((await run(w, first, 'undo')).status).toBe(200)
    expect((await get('/api/contacts?q=erase-test.de')).total).toBe(0)
    expect((await get('/api/contacts/deleted?q=erase-test.de')).total).toBe(0)
  })
})

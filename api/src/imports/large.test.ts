import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { importSteps } from '../../test/imports.ts'

/**
 * Imports of thousands of rows: validated in chunks and staged in batches, with the new rows
 * inserted in key order under ids that grow in that order. The report must list rows in file
 * order whatever chunk they were checked in, and undo must find every row created.
 */

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const { importFile, run } = importSteps(() => t)

const ROWS = 6500

describe('importing thousands of rows', () => {
  it('lists invalid and duplicate rows in file order across chunks and batches', async () => {
    const w = await t.addWorkspace('Thousands')
    const lines = ['E-Mail;Vorname;Telefon']
    for (let i = 1; i <= ROWS; i++) {
      if (i % 997 === 0) lines.push(`not-an-address-${i};Kaputt;`)
      else if (i % 1500 === 0) lines.push(`Person1@Firma1.de;Doppelt${i};`)
      else if (i % 1201 === 0) lines.push(`person${i}@firma${i % 13}.de;Telefon;12`)
      else lines.push(`person${i}@firma${i % 13}.de;Vor${i};+49 30 ${1_000_000 + i}`)
    }
    const id = await importFile(w, `${lines.join('\n')}\n`)
    const dry = await run(w, id, 'dry-run')
    const invalidLines = [
      ...[997, 1994, 2991, 3988, 4985, 5982].map((i) => ({ i, field: 'email' })),
      ...[1201, 2402, 3603, 4804, 6005].map((i) => ({ i, field: 'phone' })),
    ].sort((a, b) => a.i - b.i)
    expect(dry.body).toMatchObject({
      total: ROWS,
      invalid: invalidLines.length,
      duplicates: 4,
      new: ROWS - invalidLines.length - 4,
    })
    expect(dry.body.invalidRows.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual(
      invalidLines.map(({ i, field }) => [i + 1, field]),
    )
    expect(dry.body.duplicateRows).toEqual(
      [1500, 3000, 4500, 6000].map((i) => ({
        line: i + 1,
        firstLine: 2,
        key: 'Person1@Firma1.de',
        caseCollision: true,
      })),
    )

    const applied = await run(w, id, 'apply')
    expect({ ...applied.body, dryRun: true }).toEqual(dry.body)
    const stored = await t.db
      .selectFrom('contact')
      .select(['id', 'email', 'first_name', 'phone', 'source'])
      .where('workspace_id', '=', w.id)
      .orderBy('email')
      .execute()
    expect(stored).toHaveLength(dry.body.new)
    expect(stored.find((c) => c.email === 'person1@firma1.de')).toMatchObject({
      first_name: 'Vor1',
      phone: '+49301000001',
      source: 'import',
    })
    // Version 7 ids (variant 10), unique, growing in email order.
    for (const c of stored)
      expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const ids = stored.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)

    expect((await run(w, id, 'undo')).status).toBe(200)
    const left = await t.db
      .selectFrom('contact')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', w.id)
      .executeTakeFirstOrThrow()
    expect(Number(left.n)).toBe(0)
  })

  it('serves every rejected row of a large file in file order, duplicates found by the database', async () => {
    // More rejected rows than a report lists (1,000), across chunks, staging batches and pages.
    const w = await t.addWorkspace('Many rejected')
    const lines = ['email;phone']
    const expected: string[] = []
    for (let i = 1; i <= 12_000; i++) {
      const line = i + 1
      if (i % 5 === 0) {
        lines.push(`broken-${i};`)
        expected.push(`${line},broken-${i},,email,"Enter a valid email address, such as max@acme.com."`)
      } else if (i % 7 === 0) {
        // A repeat, in other case, of the address of row i - 1 (or i - 2 when that one is broken).
        const of = (i - 1) % 5 === 0 ? i - 2 : i - 1
        lines.push(`P${of}@X.de;`)
        expected.push(`${line},P${of}@X.de,,email,Same email as line ${of + 1}.`)
      } else lines.push(`p${i}@x.de;`)
    }
    const id = await importFile(w, `${lines.join('\n')}\n`)
    const res = await t.app.request(`/api/imports/${id}/rejected.csv`, {
      headers: { authorization: `Bearer ${w.marketer.token}` },
    })
    expect(res.status).toBe(200)
    const text = (await res.text()).replace(/^\uFEFF/, '')
    expect(text.split('\r\n')).toEqual(['line,email,phone,field,reason', ...expected, ''])
  })

  it('restores the most recently deleted contact of an address when asked', async () => {
    const w = await t.addWorkspace('Deleted twice')
    const lines = ['email;first name']
    for (let i = 1; i <= 1200; i++) lines.push(`p${i}@x.de;P${i}`)
    await run(w, await importFile(w, `${lines.join('\n')}\n`), 'apply')
    // p7 deleted, re-created by hand and deleted again: two deleted rows of one address.
    await t.db
      .updateTable('contact')
      .set({ deleted_at: new Date('2026-01-01T00:00:00Z'), deleted_reason: 'older' })
      .where('workspace_id', '=', w.id)
      .where('email', '=', 'p7@x.de')
      .execute()
    await t.db
      .insertInto('contact')
      .values({
        workspace_id: w.id,
        email: 'p7@x.de',
        domain: 'x.de',
        first_name: 'Second',
        deleted_at: new Date('2026-02-01T00:00:00Z'),
        deleted_reason: 'newer',
      })
      .execute()

    const again = await importFile(w, `${lines.join('\n')}\n`, 'kind=contacts', { restoreDeleted: true })
    const res = await run(w, again, 'apply')
    expect(res.body).toMatchObject({
      total: 1200,
      restored: 1,
      deleted: 0,
      new: 0,
      unchanged: 1199,
      updated: 1,
    })
    const p7 = await t.db
      .selectFrom('contact')
      .select(['first_name', 'deleted_at', 'deleted_reason'])
      .where('workspace_id', '=', w.id)
      .where('email', '=', 'p7@x.de')
      .orderBy('deleted_at')
      .execute()
    expect(p7).toEqual([
      { first_name: 'P7', deleted_at: new Date('2026-01-01T00:00:00Z'), deleted_reason: 'older' },
      { first_name: 'P7', deleted_at: null, deleted_reason: null },
    ])
  })
})

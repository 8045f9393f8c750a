import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { countWithin } from './count-queries.ts'

let t: TestContext

beforeAll(async () => {
  t = await setupTestApp()
  await sql`
    insert into contact (workspace_id, email, domain)
    select ${t.a.id}, 'c' || i || '@example.com', 'example.com' from generate_series(1, 3000) i`.execute(t.db)
  await sql`analyze contact`.execute(t.db)
})
afterAll(() => t.close())

const contactsOfA = () => t.db.selectFrom('contact').where('contact.workspace_id', '=', t.a.id)

describe('countWithin', () => {
  it('counts exactly within the budget, and never keeps such a count', async () => {
    expect(await countWithin(t.db, contactsOfA())).toEqual({ count: 3000, estimated: false })
    await sql`insert into contact (workspace_id, email, domain) values (${t.a.id}, 'one-more@example.com', 'example.com')`.execute(
      t.db,
    )
    expect(await countWithin(t.db, contactsOfA())).toEqual({ count: 3001, estimated: false })
  })

  it('answers the planner’s estimate when the budget runs out, then the exact count once it is done', async () => {
    const filtered = () => contactsOfA().where('contact.email', 'like', 'c1%')
    const first = await countWithin(t.db, filtered(), 0)
    expect(first.estimated).toBe(true)
    expect(first.count).toBeGreaterThan(0)
    // The exact count went on in the background; the same question now gets it.
    await new Promise((r) => setTimeout(r, 300))
    expect(await countWithin(t.db, filtered(), 0)).toEqual({ count: 1111, estimated: false })
  })

  it('keeps a slow count that a later request joined and saw finish within its own budget', async () => {
    const filtered = () => contactsOfA().where('contact.email', 'like', 'c2%')
    // The second request joins the count the first started, and sees it finish: it must not drop it…
    const [first, joined] = await Promise.all([
      countWithin(t.db, filtered(), 0),
      countWithin(t.db, filtered(), 5000),
    ])
    expect(first.estimated).toBe(true)
    expect(joined).toEqual({ count: 1111, estimated: false })
    // …so a request that cannot wait at all still gets the exact count.
    expect(await countWithin(t.db, filtered(), 0)).toEqual({ count: 1111, estimated: false })
  })
})

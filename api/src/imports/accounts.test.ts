import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'
import { importSteps } from '../../test/imports.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const { importFile, run } = importSteps(() => t, 'kind=accounts')

const accounts = (w: TestWorkspace) =>
  t.db
    .selectFrom('account')
    .select(['id', 'domain', 'name', 'industry'])
    .where('workspace_id', '=', w.id)
    .where('deleted_at', 'is', null)
    .orderBy('domain')
    .execute()

describe('importing accounts', () => {
  it('takes URLs, subdomains and mixed case for domains, and refuses free-mail and garbage', async () => {
    const w = await t.addWorkspace('Accounts')
    const id = await importFile(
      w,
      'Website;Firma;Branche\nhttps://www.Acme.co.uk/about;Acme;Maschinenbau\nmail.beta.de;Beta;\nGMAIL.com;Nope;\nnot a domain;X;\nbücher.de;Bücher;Handel\nACME.co.uk;Acme again;\n',
    )
    const res = await run(w, id, 'apply')
    expect(res.body).toMatchObject({ total: 6, new: 3, invalid: 2, duplicates: 1 })
    expect(res.body.invalidRows.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual([
      [4, 'domain'],
      [5, 'domain'],
    ])
    expect(res.body.duplicateRows).toEqual([
      { line: 7, firstLine: 2, key: 'ACME.co.uk', caseCollision: false },
    ])
    expect((await accounts(w)).map((a) => [a.domain, a.name, a.industry])).toEqual([
      ['acme.co.uk', 'Acme', 'Maschinenbau'],
      ['beta.de', 'Beta', null],
      ['xn--bcher-kva.de', 'Bücher', 'Handel'],
    ])
  })

  it('maps Website beside Domain to the website, and a Website column alone to the domain', async () => {
    const w = await t.addWorkspace('Websites')
    const up = await t.request('POST', '/api/imports?kind=accounts', {
      token: w.marketer.token,
      body: 'Webseite;Firma;Domain\nhttps://www.acme.de/de/;Acme;acme.com\n',
      headers: { 'content-type': 'text/csv' },
    })
    expect(up.body.mapping).toEqual(['website', 'name', 'domain'])
    expect((await run(w, up.body.id, 'apply')).body).toMatchObject({ new: 1, invalid: 0 })
    const updated = await importFile(
      w,
      'Domain,Homepage\nacme.com,https://acme.com/en\nbeta.de,\n',
      undefined,
      {
        mode: 'add_update',
      },
    )
    expect((await run(w, updated, 'apply')).body).toMatchObject({ new: 1, updated: 1 })
    const alone = await t.request('POST', '/api/imports?kind=accounts', {
      token: w.marketer.token,
      body: 'Website,Name\nhttps://www.gamma.io/about,Gamma\n',
      headers: { 'content-type': 'text/csv' },
    })
    expect(alone.body.mapping).toEqual(['domain', 'name'])
    await run(w, alone.body.id, 'apply')

    const list = await t.request('GET', '/api/accounts', { token: w.marketer.token })
    const rows = list.body.items.map((a: { domain: string; website: string | null }) => [a.domain, a.website])
    expect(rows.sort()).toEqual([
      ['acme.com', 'https://acme.com/en'],
      ['beta.de', null],
      ['gamma.io', null],
    ])
  })

  it('links existing contacts of a new account’s domain, matches aliases, and undoes cleanly', async () => {
    const w = await t.addWorkspace('Linking')
    const contacts = await importFile(w, 'email\nmax@gamma.de\n', 'kind=contacts')
    await run(w, contacts, 'apply')
    const existing = await t.db
      .insertInto('account')
      .values({ workspace_id: w.id, domain: 'delta.com', name: 'Delta' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.db
      .insertInto('account_alias')
      .values({ workspace_id: w.id, account_id: existing.id, domain: 'delta.de' })
      .execute()

    const id = await importFile(w, 'domain,name\ngamma.de,Gamma\ndelta.de,Delta GmbH\n')
    const res = await run(w, id, 'apply')
    expect(res.body).toMatchObject({ new: 1, updated: 1 })
    const gamma = (await accounts(w)).find((a) => a.domain === 'gamma.de')!
    const max = await t.db
      .selectFrom('contact')
      .select('account_id')
      .where('email', '=', 'max@gamma.de')
      .executeTakeFirstOrThrow()
    expect(max.account_id).toBe(gamma.id)
    expect((await accounts(w)).find((a) => a.domain === 'delta.com')!.name).toBe('Delta GmbH')

    await run(w, id, 'undo')
    expect((await accounts(w)).map((a) => [a.domain, a.name])).toEqual([['delta.com', 'Delta']])
    const after = await t.db
      .selectFrom('contact')
      .select('account_id')
      .where('email', '=', 'max@gamma.de')
      .executeTakeFirstOrThrow()
    expect(after.account_id).toBeNull()
  })

  it('synchronises an account group', async () => {
    const w = await t.addWorkspace('Account sync')
    const g = await t.db
      .insertInto('target_group')
      .values({ workspace_id: w.id, name: 'Key accounts', kind: 'account' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await run(w, await importFile(w, 'domain\na.de\nb.de\n', `kind=accounts&targetGroupId=${g.id}`), 'apply')
    const sync = await importFile(w, 'domain\nb.de\nc.de\n', `kind=accounts&targetGroupId=${g.id}`, {
      mode: 'synchronise',
    })
    expect((await run(w, sync, 'apply')).body).toMatchObject({ new: 1, unchanged: 1, joined: 1, leaving: 1 })
    const members = await t.db
      .selectFrom('target_group_account')
      .innerJoin('account', 'account.id', 'target_group_account.account_id')
      .select('account.domain')
      .where('group_id', '=', g.id)
      .orderBy('account.domain')
      .execute()
    expect(members.map((m) => m.domain)).toEqual(['b.de', 'c.de'])
    expect((await accounts(w)).map((a) => a.domain)).toEqual(['a.de', 'b.de', 'c.de'])
  })
})

import { expect } from 'vitest'
import type { TestContext, TestWorkspace } from './helpers.ts'

/**
 * The import steps of the CSV tests, through the API as a marketer: upload (and optionally change
 * the import's mapping or mode), then run a step. `context` is read at call time, so the helpers
 * can be made before `beforeAll` sets the app up.
 */
export function importSteps(context: () => TestContext, defaultQuery = 'kind=contacts') {
  async function importFile(
    w: TestWorkspace,
    csv: string | Uint8Array,
    query = defaultQuery,
    patch?: object,
  ): Promise<string> {
    const t = context()
    const up = await t.request('POST', `/api/imports?${query}`, {
      token: w.marketer.token,
      body: csv as BodyInit,
      headers: { 'content-type': 'text/csv' },
    })
    expect(up.status).toBe(201)
    if (patch) {
      const res = await t.request('PATCH', `/api/imports/${up.body.id}`, {
        token: w.marketer.token,
        json: patch,
      })
      expect(res.status).toBe(200)
    }
    return up.body.id as string
  }

  /** A dry run or an apply to its end (`wait=true`: the report, as one request), or an undo. */
  const run = (w: TestWorkspace, id: string, step: 'dry-run' | 'apply' | 'undo') =>
    context().request('POST', `/api/imports/${id}/${step}${step === 'undo' ? '' : '?wait=true'}`, {
      token: w.marketer.token,
    })

  return { importFile, run }
}

import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createApp } from '../api/src/app.ts'
import type { Config } from '../api/src/config.ts'
import { openDatabase } from '../api/src/db/index.ts'

/**
 * One API process for `bench/resolve.ts`: the real app over `DATABASE_URL`, or with `BARE=1` a
 * bare Hono JSON endpoint, the baseline the resolve figures are compared with, and an echo of a
 * resolve-sized answer.
 */
const port = Number(process.env.PORT)
// A normal exit on SIGTERM, so `--cpu-prof` (BENCH_CPU_PROF) gets to write its profile.
process.on('SIGTERM', () => process.exit(0))

if (process.env.BARE) {
  const app = new Hono()
  app.post('/bare', (c) => c.json({ ok: true }))
  // The same bytes a resolve answers (ECHO_JSON), after reading the request's JSON body: what
  // an endpoint that decides nothing costs for a resolve-sized exchange.
  const echo = JSON.parse(process.env.ECHO_JSON ?? '{}')
  app.post('/echo', async (c) => {
    await c.req.json()
    return c.json(echo)
  })
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('ready'))
} else {
  const config: Config = JSON.parse(process.env.SIGNET_BENCH_CONFIG!)
  const { db } = await openDatabase({ databaseUrl: config.databaseUrl })
  const app = createApp({ db, config })
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('ready'))
}

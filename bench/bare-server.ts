import { serve } from '@hono/node-server'
import { Hono } from 'hono'

/** The baseline: a bare Hono JSON endpoint on the same server stack, nothing else. */
const app = new Hono()
app.get('/bare', (c) => c.json({ ok: true }))
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('ready'))

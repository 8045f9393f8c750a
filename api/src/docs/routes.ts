import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Hono } from 'hono'
import { publicRoute } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'

/** The interactive API reference: Swagger UI served from the npm package, so it works offline. */
export const docs = new Hono<AppEnv>()

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signet API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`

const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: true })`

docs.get(
  '/',
  describe({
    summary: 'The interactive API reference',
    tags: ['docs'],
    response: { contentType: 'text/html', description: 'Swagger UI' },
  }),
  publicRoute(),
  (c) => c.html(page),
)
docs.get(
  '/init.js',
  describe({
    summary: 'Reference page script',
    tags: ['docs'],
    response: { contentType: 'text/javascript', description: 'Script' },
  }),
  publicRoute(),
  (c) => c.body(init, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
)
docs.get(
  '/:asset',
  describe({
    summary: 'Reference page assets',
    tags: ['docs'],
    response: { contentType: 'text/javascript', description: 'Swagger UI asset' },
  }),
  publicRoute(),
  async (c) => {
    const name = c.req.param('asset')
    const type = assets[name]
    if (!type) throw notFound('File')
    const body = await readFile(`${swaggerDir}/${name}`)
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' })
  },
)

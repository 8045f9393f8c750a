import { readFile, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Hono } from 'hono'
import { getMimeType } from 'hono/utils/mime'
import { publicRoute } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { describe } from '../http/openapi.ts'

/** Where `npm run build:dashboard` writes the marketer dashboard. */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url))

// Vite puts content-hashed files under assets/: they never change, so browsers keep them a year.
// Everything else (index.html above all) is revalidated so a new build is picked up at once.
const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Signet</title>
<p>The dashboard has not been built yet. Run <code>npm run build:dashboard</code> (or <code>npm start</code>,
which builds it) and reload. The API itself is running: see <a href="/api/docs">/api/docs</a>.</p>`

async function readFileIn(dir: string, path: string): Promise<Buffer | undefined> {
  const full = resolve(dir, `.${path}`)
  // `resolve` collapses `..`; anything that lands outside the folder is not ours to serve.
  if (full !== dir && !full.startsWith(dir + sep)) return undefined
  try {
    if (!(await stat(full)).isFile()) return undefined
    return await readFile(full)
  } catch {
    return undefined
  }
}

/**
 * Serves the built dashboard from `dir`: its files with their content type, and index.html for
 * any other path that is not under /api, /t or /b and has no file extension (the single-page fallback).
 */
export function serveDashboard(dir: string) {
  const root = resolve(dir)
  const app = new Hono<AppEnv>()
  app.get(
    '/*',
    describe({
      summary: 'The marketer dashboard: its files, and index.html for any other page',
      tags: ['dashboard'],
      response: { contentType: 'text/html', description: 'A dashboard file or the single-page app.' },
    }),
    publicRoute(),
    async (c, next) => {
      const path = c.req.path
      // The API and the tracking namespaces (/t/…, /b/…) never fall back to the dashboard.
      if (/^\/(api|t|b)(\/|$)/.test(path) || path.includes('\0')) return next()
      const file = path === '/' ? undefined : await readFileIn(root, path)
      if (file) {
        return c.body(new Uint8Array(file), 200, {
          'content-type': getMimeType(path) ?? 'application/octet-stream',
          'cache-control': path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
          'x-content-type-options': 'nosniff',
        })
      }
      // A missing script or image must stay a 404, not turn into HTML the browser cannot run.
      if (extname(path) && extname(path) !== '.html') return next()
      const index = await readFileIn(root, '/index.html')
      if (!index) return c.html(NOT_BUILT, 503, { 'cache-control': 'no-store' })
      return c.body(new Uint8Array(index), 200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': REVALIDATE,
        'x-content-type-options': 'nosniff',
      })
    },
  )
  return app
}

export const dashboard = serveDashboard(DASHBOARD_DIST)

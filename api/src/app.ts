import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { accounts } from './accounts/routes.ts'
import { activity } from './activity/routes.ts'
import { auth } from './auth/routes.ts'
import { campaigns } from './campaigns/routes.ts'
import type { Config } from './config.ts'
import { contacts } from './contacts/routes.ts'
import { hubspot } from './crm/routes.ts'
import { dashboard } from './dashboard/routes.ts'
import type { Db } from './db/index.ts'
import { departments } from './departments/routes.ts'
import { docs } from './docs/routes.ts'
import { duplicates } from './duplicates/routes.ts'
import { employees, me } from './employees/routes.ts'
import { deliveries, extension } from './extension/routes.ts'
import { health } from './health/routes.ts'
import { publicRoute } from './http/auth.ts'
import type { AppEnv } from './http/context.ts'
import { ApiError, onError, onNotFound } from './http/errors.ts'
import { buildOpenApiDocument, describe } from './http/openapi.ts'
import { createRateLimits, limitTrackingByNetwork } from './http/rate-limit.ts'
import { ImportRuns } from './imports/jobs.ts'
import { imports } from './imports/routes.ts'
import { leads } from './leads/routes.ts'
import { resolve, simulate } from './resolve/routes.ts'
import { segments } from './segments/routes.ts'
import { signatures } from './signatures/routes.ts'
import { stats } from './stats/routes.ts'
import { targetGroups } from './target-groups/routes.ts'
import { tracking } from './tracking/routes.ts'
import { users } from './users/routes.ts'
import { workspace } from './workspace/routes.ts'

export const VERSION = '0.1.0'
const JSON_BODY_LIMIT = 1024 * 1024

export interface AppDeps {
  db: Db
  config: Config
  /** The process's import runs, so `main.ts` can stop them on shutdown; one of its own otherwise. */
  importRuns?: ImportRuns
}

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const limits = createRateLimits(deps.config)
  const importRuns = deps.importRuns ?? new ImportRuns()
  app.use(async (c, next) => {
    c.set('db', deps.db)
    c.set('config', deps.config)
    c.set('limits', limits)
    c.set('importRuns', importRuns)
    await next()
  })
  app.use('/t/*', limitTrackingByNetwork())
  app.use('/b/*', limitTrackingByNetwork())
  const tooLarge = () => {
    throw new ApiError('payload_too_large', 'The request body is larger than 1 MiB.', 'body')
  }
  const jsonLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge })
  app.use('/api/*', async (c, next) => {
    if (!/json/i.test(c.req.header('content-type') ?? '')) return next()
    // A declared length is checked from the header alone: reading `c.req.raw.body` (as the
    // middleware does first) would turn the server's lightweight request into a full web
    // Request, and every JSON body would then be read through web streams.
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(length))
      return Number(length) > JSON_BODY_LIMIT ? tooLarge() : next()
    return jsonLimit(c, next)
  })

  app.route('/api/health', health)
  app.route('/api/auth', auth)
  app.route('/api/users', users)
  app.route('/api/accounts', accounts)
  app.route('/api/contacts', contacts)
  app.route('/api/segments', segments)
  app.route('/api/target-groups', targetGroups)
  app.route('/api/duplicates', duplicates)
  app.route('/api/workspace', workspace)
  app.route('/api/imports', imports)
  app.route('/api/integrations/hubspot', hubspot)
  app.route('/api/departments', departments)
  app.route('/api/employees', employees)
  app.route('/api/me', me)
  app.route('/api/signatures', signatures)
  app.route('/api/campaigns', campaigns)
  app.route('/api/resolve', resolve)
  app.route('/api/simulate', simulate)
  app.route('/api/docs', docs)
  app.route('/api/extension', extension)
  app.route('/api/deliveries', deliveries)
  app.route('/api/stats', stats)
  app.route('/api/leads', leads)
  app.route('/api/activity', activity)
  app.route('/', tracking)

  let openApi: unknown
  app.get(
    '/api/openapi.json',
    describe({ summary: 'This OpenAPI document', tags: ['docs'] }),
    publicRoute(),
    (c) => {
      openApi ??= buildOpenApiDocument(app, { version: VERSION, serverUrl: deps.config.publicBaseUrl })
      return c.json(openApi)
    },
  )
  // The dashboard answers GETs outside /api (its files and the single-page fallback); keep it last.
  app.route('/', dashboard)

  app.notFound(onNotFound)
  app.onError(onError)
  return app
}

export type App = ReturnType<typeof createApp>

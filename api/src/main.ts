import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { startCrmScheduler } from './crm/scheduler.ts'
import { migrateToLatest, openDatabase } from './db/index.ts'
import { seedDemoIfEmpty } from './demo/seed.ts'
import { ImportRuns } from './imports/jobs.ts'
import { failInterruptedImports } from './imports/queries.ts'
import { stopDeliveries } from './resolve/deliveries.ts'
import { groupBuilds } from './stats/groups.ts'
import { RollupJob } from './stats/rollup.ts'
import { stopTracking } from './tracking/service.ts'

async function main() {
  const config = await loadConfig()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const applied = await migrateToLatest(database.db)
  if (applied.length) console.log(`[signet] applied ${applied.length} migration(s)`)
  const interrupted = await failInterruptedImports(database.db)
  if (interrupted.length)
    console.log(`[signet] ${interrupted.length} import(s) interrupted by a stop marked failed`)
  const demo = config.demoData ? await seedDemoIfEmpty(database.db, config.dataDir) : undefined

  const rollups = new RollupJob(database.db).start()
  const importRuns = new ImportRuns()
  const app = createApp({ db: database.db, config, importRuns })
  const crm = startCrmScheduler(database.db, config)
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const where = database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}/pglite` : 'PostgreSQL'
    console.log(`[signet] API listening on http://${config.host}:${info.port} (database: ${where})`)
    console.log(`[signet] API reference: http://localhost:${info.port}/api/docs`)
    if (demo) console.log(`[signet] demo sign-in: ${demo.email} / ${demo.password}`)
  })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`[signet] ${signal}: shutting down`)
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    server.close()
    // Dry runs and applies under way stop, roll back and are marked failed, to be run again; a
    // synchronisation under way is stopped and rescheduled, so any process picks it up again.
    const [left] = await Promise.all([importRuns.stop(), crm.stop()])
    if (left) console.log(`[signet] ${left} import run(s) still busy; marked failed at the next start`)
    // Buffered deliveries and tracking events are written before the database closes, then the
    // rollups catch up with them.
    await Promise.all([stopDeliveries(database.db), stopTracking(database.db)])
    await rollups.stop()
    // A target group's rollups being built finish (or the next read starts again).
    await groupBuilds()
    await database.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})

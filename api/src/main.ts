import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { migrateToLatest, openDatabase } from './db/index.ts'
import { seedDemoIfEmpty } from './demo/seed.ts'
import { RollupJob } from './stats/rollup.ts'
import { stopTracking } from './tracking/service.ts'

async function main() {
  const config = await loadConfig()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const applied = await migrateToLatest(database.db)
  if (applied.length) console.log(`[signet] applied ${applied.length} migration(s)`)
  const demo = config.demoData ? await seedDemoIfEmpty(database.db, config.dataDir) : undefined

  const rollups = new RollupJob(database.db).start()
  const app = createApp({ db: database.db, config })
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
    // Buffered tracking events are written before the database closes.
    await stopTracking(database.db)
    await rollups.stop()
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

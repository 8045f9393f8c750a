import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrateToLatest, openDatabase, pg_trgm } from '../src/db/index.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated template database each test file copies. */
    templateDatabase: string
    /** PGlite: a dump of a migrated data folder each test file loads. */
    pgliteDump: string
  }
}

/**
 * Migrates one database before the suite, so each test file starts from a copy in well under
 * a second: `CREATE DATABASE … TEMPLATE` on PostgreSQL, a data-folder dump on PGlite.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL
  if (url) {
    const template = `signet_template_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`drop database if exists ${template}`)
    await admin.query(`create database ${template}`)
    const handle = await openDatabase({ databaseUrl: withDatabase(url, template) })
    await migrateToLatest(handle.db)
    await handle.close()
    project.provide('templateDatabase', template)
    project.provide('pgliteDump', '')
    return async () => {
      await admin.query(`drop database if exists ${template} with (force)`)
      // Test files drop their own copies; sweep any a crashed worker left behind.
      const { rows } = await admin.query(`select datname from pg_database where datname like $1`, [
        `signet_t_${process.pid}_%`,
      ])
      for (const row of rows) await admin.query(`drop database if exists ${row.datname} with (force)`)
      await admin.end()
    }
  }
  const pglite = await PGlite.create({ extensions: { pg_trgm } })
  const handle = await openDatabase({ pglite })
  await migrateToLatest(handle.db)
  const dump = await pglite.dumpDataDir('none')
  const file = `${tmpdir()}/signet-test-${process.pid}.tar`
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  await handle.close()
  project.provide('templateDatabase', '')
  project.provide('pgliteDump', file)
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

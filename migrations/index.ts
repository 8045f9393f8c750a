import { readdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Migration, MigrationProvider } from 'kysely'

const folder = dirname(fileURLToPath(import.meta.url))

/**
 * Every `YYYY_MM_DD_HH_MM_SS_name.ts` file of this folder, in name order. Migrations are frozen
 * once committed: they take `Kysely<any>` and import nothing from the app.
 */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(folder)).filter((f) => /^\d{4}(_\d\d){5}_[a-z0-9_]+\.ts$/.test(f)).sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      migrations[file.replace(/\.ts$/, '')] = await import(pathToFileURL(`${folder}/${file}`).href)
    }
    return migrations
  },
}

import { sql } from 'kysely'
import type { Db } from '../db/index.ts'

export function pingDatabase(db: Db) {
  return sql`select 1`.execute(db)
}

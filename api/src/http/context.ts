import type { Role } from '@signet/shared'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import type { ImportRuns } from '../imports/jobs.ts'
import type { RateLimits } from './rate-limit.ts'

export interface Auth {
  userId: UserId
  workspaceId: WorkspaceId
  role: Role
  tokenId: string
}

/** What every handler finds on `c.var`. `auth` is set once `authenticate` has run. */
export interface AppEnv {
  Variables: {
    db: Db
    config: Config
    auth: Auth
    limits: RateLimits
    /** Dry runs and applies under way in this process. */
    importRuns: ImportRuns
  }
}

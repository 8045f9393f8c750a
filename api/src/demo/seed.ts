import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { hashPassword } from '../auth/crypto.ts'
import type { Db } from '../db/index.ts'
import { insertUser } from '../users/queries.ts'
import { countWorkspaces, insertWorkspace, updateWorkspace } from '../workspace/queries.ts'

export interface DemoCredentials {
  email: string
  password: string
}

const DEMO_EMAIL = 'admin@demo.signet.test'

/**
 * On a first start with an empty database: a demo workspace with an admin, a marketer and an
 * employee, so there is something to sign in to. The admin password is random and kept in
 * DATA_DIR so later starts can print it again.
 */
export async function seedDemoIfEmpty(db: Db, dataDir: string): Promise<DemoCredentials | undefined> {
  const file = `${dataDir}/demo-credentials.json`
  if ((await countWorkspaces(db)) > 0) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as DemoCredentials
    } catch {
      return undefined
    }
  }
  const password = randomBytes(9).toString('base64url')
  const passwordHash = await hashPassword(password)
  await db.transaction().execute(async (trx) => {
    const workspace = await insertWorkspace(trx, 'Demo Company')
    await updateWorkspace(trx, workspace.id, { internal_domains: ['demo.signet.test'] })
    const people = [
      { email: DEMO_EMAIL, role: 'admin', first_name: 'Ada', last_name: 'Admin' },
      { email: 'marketer@demo.signet.test', role: 'marketer', first_name: 'Mia', last_name: 'Marketing' },
      { email: 'employee@demo.signet.test', role: 'employee', first_name: 'Erik', last_name: 'Employee' },
    ] as const
    for (const person of people) {
      await insertUser(trx, { ...person, workspace_id: workspace.id, password_hash: passwordHash })
    }
  })
  const credentials = { email: DEMO_EMAIL, password }
  await mkdir(dataDir, { recursive: true })
  await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 })
  return credentials
}

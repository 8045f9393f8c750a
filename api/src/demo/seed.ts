import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { CreateAccountSchema, CreateContactSchema } from '@signet/shared'
import { createAccount } from '../accounts/service.ts'
import { hashPassword } from '../auth/crypto.ts'
import { createContact } from '../contacts/service.ts'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, UserId, WorkspaceId } from '../db/schema.ts'
import { addAccountMembers, addContactMembers, insertTargetGroup } from '../target-groups/queries.ts'
import { insertUser } from '../users/queries.ts'
import { countWorkspaces, insertWorkspace, updateWorkspace } from '../workspace/queries.ts'

export interface DemoCredentials {
  email: string
  password: string
}

const DEMO_EMAIL = 'admin@demo.signet.test'

/**
 * On a first start with an empty database: a demo workspace with an admin, a marketer and an
 * employee, three accounts, five contacts and two target groups, so there is something to see. The admin password is random and kept in
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
    const ids = []
    for (const person of people) {
      const user = await insertUser(trx, {
        ...person,
        workspace_id: workspace.id,
        password_hash: passwordHash,
      })
      ids.push(user.id)
    }
    await seedTargets(trx, workspace.id, ids[0]!)
  })
  const credentials = { email: DEMO_EMAIL, password }
  await mkdir(dataDir, { recursive: true })
  await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 })
  return credentials
}

/** A few accounts, contacts and two target groups, so the lists and resolve have something to show. */
async function seedTargets(db: Db, workspaceId: WorkspaceId, adminId: UserId) {
  const accounts = [
    { domain: 'acme-demo.com', name: 'Acme Corporation', industry: 'Manufacturing', size: '500-1000' },
    { domain: 'globex-demo.com', name: 'Globex', industry: 'Energy', size: '1000+' },
    { domain: 'initech-demo.com', name: 'Initech', industry: 'Software', size: '50-200' },
  ]
  const accountIds = []
  for (const a of accounts) {
    const account = await createAccount(db, workspaceId, CreateAccountSchema.parse(a))
    accountIds.push(account.id as AccountId)
  }
  const contacts = [
    'Max Mustermann <max.mustermann@acme-demo.com>',
    'Erika Musterfrau <erika@acme-demo.com>',
    'Hank Scorpio <hank@globex-demo.com>',
    'Peter Gibbons <peter@initech-demo.com>',
    'Samir Nagheenanajar <samir@initech-demo.com>',
  ]
  const contactIds = []
  for (const email of contacts) {
    const contact = await createContact(
      db,
      workspaceId,
      adminId,
      CreateContactSchema.parse({ email, labels: ['demo'] }),
    )
    contactIds.push(contact.id as ContactId)
  }
  const keyAccounts = await insertTargetGroup(db, {
    workspaceId,
    name: 'Key accounts',
    kind: 'account',
    segmentId: null,
  })
  await addAccountMembers(db, keyAccounts.id, accountIds.slice(0, 2))
  const webinar = await insertTargetGroup(db, {
    workspaceId,
    name: 'Webinar guests',
    kind: 'contact',
    segmentId: null,
  })
  await addContactMembers(db, webinar.id, contactIds.slice(3))
}

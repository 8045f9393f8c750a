import type { Selectable } from 'kysely'
import type { Config } from '../config.ts'
import { type Db, isSingleSession } from '../db/index.ts'
import type { ImportJobTable, TargetGroupId, UserId, WorkspaceId } from '../db/schema.ts'
import type { CsvRecord } from '../imports/csv/parse.ts'
import { RunProgress } from '../imports/progress.ts'
import { findImportById } from '../imports/queries.ts'
import { runImport } from '../imports/run.ts'
import { BATCH_READ_LIMIT, type HubSpotContact, HubSpotError } from './hubspot.ts'
import {
  failInterruptedRuns,
  findConnection,
  findLink,
  finishLinkRun,
  finishRunJob,
  insertRunJob,
  onOneSession,
  pruneUnchangedRuns,
  rescheduleNow,
  setConnectionState,
  tryLockGroup,
  unlockGroup,
} from './queries.ts'
import { clientFor } from './service.ts'

/**
 * One synchronisation run of a linked group: read the HubSpot list's members and their contact
 * properties, then hand them to the CSV import engine as the rows of a `synchronise` import into
 * the group — same validation, matching, suppression rules, report, undo and history as a file.
 */

export type RunTrigger = 'schedule' | 'manual'

/** The columns a HubSpot run feeds the import engine, and the fields they map to. */
const HEADERS = [
  'HubSpot ID',
  'Email',
  'First name',
  'Last name',
  'Phone',
  'Company',
  'Job title',
  'Consent',
  'Consent method',
  'Status',
]
const MAPPING = [
  'custom.hubspotId',
  'email',
  'firstName',
  'lastName',
  'phone',
  'company',
  'jobTitle',
  'consent',
  'consentMethod',
  'status',
]

/**
 * Consent, as the CSV import takes it, from HubSpot's legal basis: "Freely given consent from
 * contact" records consent (a consent on record keeps its own date and method). Any other basis,
 * or none, leaves consent as it is: a legitimate interest is not consent, and a basis HubSpot no
 * longer lists is not taken for a withdrawal.
 */
function consentCells(legalBasis: string): [string, string] {
  const bases = legalBasis
    .split(';')
    .map((b) => b.trim())
    .filter(Boolean)
  const given = bases.find((b) => /consent/i.test(b))
  return given ? ['yes', `HubSpot: ${given}`] : ['', '']
}
/** Runs that changed nothing are kept only among a group's newest this many. */
const KEEP_RUNS = 50

export type RunResult =
  | { outcome: 'ran'; job: Selectable<ImportJobTable> }
  | { outcome: 'busy' }
  | { outcome: 'not_linked' }

/** Groups this process is running now; the advisory lock covers the other processes. */
const runningHere = new Set<string>()

/**
 * Runs `fn` only while no other run of the group is under way, here or in another API process
 * (a PostgreSQL session-level advisory lock, held on one pooled connection for the whole run).
 * PGlite is one session in one process, so the in-process set is the whole lock there.
 */
async function exclusively<T>(db: Db, groupId: TargetGroupId, fn: () => Promise<T>): Promise<T | 'busy'> {
  if (runningHere.has(groupId)) return 'busy'
  runningHere.add(groupId)
  try {
    if (isSingleSession(db)) return await fn()
    return await onOneSession(db, async (session) => {
      if (!(await tryLockGroup(session, groupId))) return 'busy' as const
      try {
        return await fn()
      } finally {
        await unlockGroup(session, groupId)
      }
    })
  } finally {
    runningHere.delete(groupId)
  }
}

function toRecords(contacts: HubSpotContact[]): AsyncIterable<CsvRecord> {
  return (async function* () {
    for (const [i, c] of contacts.entries()) {
      const cells = [c.id, c.email, c.firstName, c.lastName, c.phone, c.company, c.jobTitle]
      // Unsubscribed in HubSpot suppresses here too; subscribed again there lifts nothing here.
      const status = c.unsubscribed ? 'unsubscribed' : ''
      yield { line: i + 1, cells: [...cells, ...consentCells(c.legalBasis), status] }
    }
  })()
}

/** Every member of the list with its properties: the pages of ids, then their contacts 100 at a time. */
async function readList(
  client: ReturnType<typeof clientFor>,
  listId: string,
): Promise<{ name: string; contacts: HubSpotContact[] }> {
  const list = await client.getContactList(listId)
  const ids: string[] = []
  for await (const page of client.memberIds(listId)) ids.push(...page)
  const contacts: HubSpotContact[] = []
  for (let i = 0; i < ids.length; i += BATCH_READ_LIMIT) {
    contacts.push(...(await client.readContacts(ids.slice(i, i + BATCH_READ_LIMIT))))
  }
  return { name: list.name, contacts }
}

export async function syncGroup(
  db: Db,
  config: Config,
  workspaceId: WorkspaceId,
  groupId: TargetGroupId,
  trigger: RunTrigger,
  actorId: UserId | null,
  signal?: AbortSignal,
): Promise<RunResult> {
  const result = await exclusively(db, groupId, async (): Promise<RunResult> => {
    const link = await findLink(db, workspaceId, groupId)
    const connection = await findConnection(db, workspaceId)
    if (!link || !connection) return { outcome: 'not_linked' }
    await failInterruptedRuns(db, workspaceId, groupId)
    // contact_status_change.actor_id may be null; a scheduled run acts for whoever linked the list.
    const actor = (actorId ?? link.created_by) as UserId
    const job = await insertRunJob(db, {
      workspace_id: workspaceId,
      kind: 'contacts',
      source: 'hubspot',
      target_group_id: groupId,
      file_name: `HubSpot list ${link.list_name}`.slice(0, 255),
      byte_size: 0,
      encoding: 'utf-8',
      delimiter: ',',
      has_header: false,
      headers: HEADERS,
      mapping: JSON.stringify(MAPPING),
      mode: 'synchronise',
      options: JSON.stringify({ trigger, listId: link.list_id }) as never,
      status: 'applying',
      created_by: actorId,
    })
    let progress: RunProgress | undefined
    try {
      const client = clientFor(config, connection, signal)
      const list = await readList(client, link.list_id)
      // The list is read whole before the import starts: its progress is rows of a known total.
      progress = new RunProgress(db, job, 'apply', { rows: list.contacts.length, estimated: false })
      const report = await runImport(db, job, toRecords(list.contacts), actor, false, progress.onProgress)
      await finishRunJob(db, workspaceId, job.id, {
        status: 'applied',
        report,
        progress: await progress.finished(),
      })
      await finishLinkRun(db, workspaceId, groupId, { status: 'ok', error: null, listName: list.name })
      await setConnectionState(db, workspaceId, 'connected', null)
      await pruneUnchangedRuns(db, workspaceId, groupId, KEEP_RUNS)
    } catch (error) {
      if (signal?.aborted) {
        await finishRunJob(db, workspaceId, job.id, {
          status: 'failed',
          error: 'The run was stopped: the API process shut down.',
          progress: await progress?.finished(),
        })
        await rescheduleNow(db, groupId)
        throw error
      }
      const refused = error instanceof HubSpotError && error.problem === 'auth'
      const gone = error instanceof HubSpotError && error.problem === 'not_found'
      const message = gone
        ? `The HubSpot list ${link.list_id} ("${link.list_name}") no longer exists or the token cannot see it. Link the group to another list.`
        : error instanceof HubSpotError
          ? error.message
          : `The run failed: ${(error as Error).message}`
      await finishRunJob(db, workspaceId, job.id, {
        status: 'failed',
        error: message,
        progress: await progress?.finished(),
      })
      // A refused token stops every scheduled run of the workspace, a missing list this group's,
      // until the marketer acts; passing trouble (HubSpot down, the day's rate limit) is retried
      // by the next scheduled run.
      if (refused) await setConnectionState(db, workspaceId, 'failing', message)
      await finishLinkRun(db, workspaceId, groupId, { status: gone ? 'failing' : 'ok', error: message })
    }
    const finished = await findImportById(db, workspaceId, job.id)
    return { outcome: 'ran', job: finished ?? job }
  })
  return result === 'busy' ? { outcome: 'busy' } : result
}

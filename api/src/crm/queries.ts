import type { Insertable } from 'kysely'
import { sql } from 'kysely'
import type { CrmConnectionTable } from '../db/crm-schema.ts'
import type { Db } from '../db/index.ts'
import type { ImportId, ImportJobTable, TargetGroupId, UserId, WorkspaceId } from '../db/schema.ts'

// ── connection ──────────────────────────────────────────────────────────────

export function findConnection(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('crm_connection')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
}

/** Connecting again replaces the token and clears a failure: scheduled runs resume. */
export function upsertConnection(db: Db, values: Insertable<CrmConnectionTable>) {
  return db
    .insertInto('crm_connection')
    .values(values)
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet({
        base_url: values.base_url,
        token_sealed: values.token_sealed,
        token_hint: values.token_hint,
        status: 'connected',
        error: null,
        created_by: values.created_by,
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function deleteConnection(db: Db, workspaceId: WorkspaceId) {
  await db.deleteFrom('crm_list_link').where('workspace_id', '=', workspaceId).execute()
  const result = await db
    .deleteFrom('crm_connection')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function setConnectionState(
  db: Db,
  workspaceId: WorkspaceId,
  status: 'connected' | 'failing',
  error: string | null,
) {
  await db
    .updateTable('crm_connection')
    .set({ status, error, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .execute()
}

// ── links ───────────────────────────────────────────────────────────────────

const linkColumns = [
  'l.target_group_id',
  'l.workspace_id',
  'l.list_id',
  'l.list_name',
  'l.interval_minutes',
  'l.status',
  'l.error',
  'l.next_run_at',
  'l.last_run_at',
  'l.created_by',
  'g.name as target_group_name',
] as const

function links(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('crm_list_link as l')
    .innerJoin('target_group as g', 'g.id', 'l.target_group_id')
    .select(linkColumns)
    .where('l.workspace_id', '=', workspaceId)
}

export function listLinks(db: Db, workspaceId: WorkspaceId) {
  return links(db, workspaceId).orderBy('g.name').orderBy('l.target_group_id').execute()
}

export function findLink(db: Db, workspaceId: WorkspaceId, groupId: string) {
  return links(db, workspaceId)
    .where('l.target_group_id', '=', groupId as TargetGroupId)
    .executeTakeFirst()
}

export type LinkRow = NonNullable<Awaited<ReturnType<typeof findLink>>>

/** Linking (again) runs the group at the next scheduler tick. */
export async function upsertLink(
  db: Db,
  link: {
    workspaceId: WorkspaceId
    groupId: TargetGroupId
    listId: string
    listName: string
    intervalMinutes: number
    createdBy: UserId
  },
) {
  await db
    .insertInto('crm_list_link')
    .values({
      target_group_id: link.groupId,
      workspace_id: link.workspaceId,
      list_id: link.listId,
      list_name: link.listName,
      interval_minutes: link.intervalMinutes,
      created_by: link.createdBy,
    })
    .onConflict((oc) =>
      oc.column('target_group_id').doUpdateSet({
        list_id: link.listId,
        list_name: link.listName,
        interval_minutes: link.intervalMinutes,
        status: 'ok',
        error: null,
        next_run_at: sql`now()`,
        created_by: link.createdBy,
        updated_at: sql`now()`,
      }),
    )
    .execute()
}

export async function deleteLink(db: Db, workspaceId: WorkspaceId, groupId: string) {
  const result = await db
    .deleteFrom('crm_list_link')
    .where('workspace_id', '=', workspaceId)
    .where('target_group_id', '=', groupId as TargetGroupId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** After a run: when it ran, whether the list failed, and when the schedule runs it next. */
export async function finishLinkRun(
  db: Db,
  workspaceId: WorkspaceId,
  groupId: TargetGroupId,
  state: { status: 'ok' | 'failing'; error: string | null; listName?: string },
) {
  await db
    .updateTable('crm_list_link')
    .set({
      status: state.status,
      error: state.error,
      ...(state.listName ? { list_name: state.listName } : {}),
      last_run_at: sql`now()`,
      next_run_at: sql`now() + interval_minutes * interval '1 minute'`,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('target_group_id', '=', groupId)
    .execute()
}

/** A run cut short by a shutdown is picked up again at the next tick, by any process. */
export async function rescheduleNow(db: Db, groupId: TargetGroupId) {
  await db
    .updateTable('crm_list_link')
    .set({ next_run_at: sql`now()` })
    .where('target_group_id', '=', groupId)
    .execute()
}

/**
 * Claims the links due for a scheduled run: moving `next_run_at` on in the same statement means
 * two API processes polling at once never claim the same link. Failing links and links of a
 * failing connection are skipped until the marketer acts.
 */
export async function claimDueLinks(db: Db, limit: number) {
  const { rows } = await sql<{ target_group_id: TargetGroupId; workspace_id: WorkspaceId }>`
    update crm_list_link l set next_run_at = now() + l.interval_minutes * interval '1 minute'
    where l.target_group_id in (
      select d.target_group_id from crm_list_link d
      join crm_connection c on c.workspace_id = d.workspace_id and c.status = 'connected'
      where d.status = 'ok' and d.next_run_at <= now()
      order by d.next_run_at
      limit ${limit}
      for update of d skip locked
    )
    returning l.target_group_id, l.workspace_id`.execute(db)
  return rows
}

// ── runs (import jobs of source hubspot) ────────────────────────────────────

export function insertRunJob(db: Db, values: Insertable<ImportJobTable>) {
  return db.insertInto('import_job').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function finishRunJob(
  db: Db,
  workspaceId: WorkspaceId,
  id: ImportId,
  outcome: ({ status: 'applied'; report: object } | { status: 'failed'; error: string }) & {
    /** The run's last progress, when it got as far as importing. */
    progress?: object | undefined
  },
) {
  const progress = outcome.progress ? { progress: JSON.stringify(outcome.progress) } : {}
  await db
    .updateTable('import_job')
    .set(
      outcome.status === 'applied'
        ? {
            status: 'applied',
            report: JSON.stringify(outcome.report),
            applied_at: sql`now()`,
            updated_at: sql`now()`,
            ...progress,
          }
        : { status: 'failed', error: outcome.error.slice(0, 1000), updated_at: sql`now()`, ...progress },
    )
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

/** A run still `applying` when its group's lock is free was cut off (the process died). */
export async function failInterruptedRuns(db: Db, workspaceId: WorkspaceId, groupId: TargetGroupId) {
  await db
    .updateTable('import_job')
    .set({
      status: 'failed',
      error: 'The run was interrupted (the API process stopped).',
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('target_group_id', '=', groupId)
    .where('source', '=', 'hubspot')
    .where('status', '=', 'applying')
    .execute()
}

export function listRuns(db: Db, workspaceId: WorkspaceId, groupId: string, limit: number) {
  return db
    .selectFrom('import_job')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('target_group_id', '=', groupId as TargetGroupId)
    .where('source', '=', 'hubspot')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The newest run of each group, for the links overview. */
export async function latestRuns(db: Db, workspaceId: WorkspaceId, groupIds: TargetGroupId[]) {
  if (!groupIds.length) return []
  return db
    .selectFrom('import_job')
    .selectAll()
    .distinctOn('target_group_id')
    .where('workspace_id', '=', workspaceId)
    .where('target_group_id', 'in', groupIds)
    .where('source', '=', 'hubspot')
    .orderBy('target_group_id')
    .orderBy('created_at', 'desc')
    .execute()
}

/**
 * Runs that changed nothing (no before-image recorded) beyond the newest `keep` are deleted, so a
 * schedule every 15 minutes does not bury the import history; runs with changes stay for undo.
 */
export async function pruneUnchangedRuns(
  db: Db,
  workspaceId: WorkspaceId,
  groupId: TargetGroupId,
  keep: number,
) {
  await sql`
    delete from import_job j
    where j.workspace_id = ${workspaceId} and j.target_group_id = ${groupId} and j.source = 'hubspot'
      and j.status in ('applied', 'failed')
      and not exists (select 1 from import_change c where c.import_id = j.id)
      and j.id not in (
        select k.id from import_job k
        where k.workspace_id = ${workspaceId} and k.target_group_id = ${groupId} and k.source = 'hubspot'
        order by k.created_at desc limit ${keep})`.execute(db)
}

// ── lock ────────────────────────────────────────────────────────────────────

/** Advisory-lock namespace of CRM runs (the first key; the second is the group's hash). */
const LOCK_NAMESPACE = 0x5347_4352 // "SGCR"

/** Runs `fn` on one pooled connection: a session-level advisory lock lives as long as its session. */
export function onOneSession<T>(db: Db, fn: (session: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(fn)
}

export async function tryLockGroup(db: Db, groupId: TargetGroupId): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_lock(${LOCK_NAMESPACE}::int, hashtext(${groupId})) as locked`.execute(db)
  return rows[0]!.locked
}

export async function unlockGroup(db: Db, groupId: TargetGroupId) {
  await sql`select pg_advisory_unlock(${LOCK_NAMESPACE}::int, hashtext(${groupId}))`.execute(db)
}

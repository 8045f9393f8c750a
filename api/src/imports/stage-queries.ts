import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, WorkspaceId } from '../db/schema.ts'

/**
 * The set-based half of an import, shared by both kinds. The file's valid rows go into a
 * temporary staging table in large batches; matching, change detection and every write are then
 * single statements over that table, so a million rows cost a handful of queries, all inside the
 * import's transaction. Table and column names come from the closed `targets` map, never input.
 */
export type ImportKind = 'accounts' | 'contacts'

export const targets = {
  contacts: {
    table: 'contact',
    key: 'email',
    membership: 'target_group_contact',
    member: 'contact_id',
    entity: 'contact',
  },
  accounts: {
    table: 'account',
    key: 'domain',
    membership: 'target_group_account',
    member: 'account_id',
    entity: 'account',
  },
} as const

export interface StageRow {
  line: number
  key: string
  rawKey: string
  /** Contacts: the canonical email; accounts: unused. */
  extra: string
  /** Contacts: the email's registrable domain; accounts: the domain. */
  domain: string
  data: Record<string, unknown>
}

export async function createStage(db: Db) {
  // Sorts and hashes over a million staged rows, and the trigram index's pending-list merges,
  // stay in memory for this transaction instead of spilling to disk (the default is 4 MB).
  await sql`set local work_mem = '64MB'`.execute(db)
  await sql`
    create temp table import_stage (
      line int not null,
      key text not null,
      raw_key text not null,
      extra text not null,
      domain text not null,
      data jsonb not null,
      target_id uuid,
      deleted_id uuid,
      duplicate_of int,
      changed boolean not null default false
    ) on commit drop`.execute(db)
  // The ids of the rows this import creates: appending them here is cheaper than rewriting a
  // million staged rows to note them.
  await sql`create temp table import_created (id uuid not null) on commit drop`.execute(db)
}

/**
 * Stages rows given as `stagedRow` JSON texts (`[line, key, rawKey, extra, domain, data]`). They
 * travel as one JSON parameter: no array per column to build and escape on this side.
 */
export async function insertStageRows(db: Db, rows: string[]) {
  if (!rows.length) return
  await sql`
    insert into import_stage (line, key, raw_key, extra, domain, data)
    select (r->>0)::int, r->>1, r->>2, r->>3, r->>4, (r->5)::jsonb
    from json_array_elements(${`[${rows.join(',')}]`}::json) r`.execute(db)
}

// The first row of a key wins; later rows of the same key are reported, not applied.
export async function markDuplicatesAndMatch(db: Db, kind: ImportKind, workspaceId: WorkspaceId) {
  const t = targets[kind]
  const table = sql.table(t.table)
  const key = sql.ref(`x.${t.key}`)
  await sql`create index on import_stage (key)`.execute(db)
  // A temporary table has no statistics until analysed: without them the planner expects one row
  // and joins a million by nested loops.
  await sql`analyze import_stage`.execute(db)
  await sql`
    update import_stage s set duplicate_of = f.first_line
    from (select key, min(line) as first_line from import_stage group by key having count(*) > 1) f
    where s.key = f.key and s.line <> f.first_line`.execute(db)
  await sql`
    update import_stage s set target_id = x.id from ${table} x
    where x.workspace_id = ${workspaceId} and ${key} = s.key and x.deleted_at is null and s.duplicate_of is null`.execute(
    db,
  )
  if (kind === 'accounts') {
    // An account is also found by one of its aliases.
    await sql`
      update import_stage s set target_id = al.account_id from account_alias al
      where al.workspace_id = ${workspaceId} and al.domain = s.key and s.target_id is null and s.duplicate_of is null`.execute(
      db,
    )
  }
  // The most recently deleted row of a key, in one join rather than a lookup per staged row.
  await sql`
    update import_stage s set deleted_id = d.id
    from (
      select distinct on (${key}) ${key} as key, x.id from ${table} x
      where x.workspace_id = ${workspaceId} and x.deleted_at is not null
      order by ${key}, x.deleted_at desc
    ) d
    where d.key = s.key and s.target_id is null and s.duplicate_of is null`.execute(db)
}

export interface StageCounts {
  valid: number
  duplicates: number
  matched: number
  matched_changed: number
  deleted: number
  unmatched: number
}

export async function countStage(db: Db): Promise<StageCounts> {
  const { rows } = await sql<StageCounts>`
    select
      count(*)::int as valid,
      count(*) filter (where duplicate_of is not null)::int as duplicates,
      count(*) filter (where target_id is not null)::int as matched,
      count(*) filter (where target_id is not null and changed)::int as matched_changed,
      count(*) filter (where deleted_id is not null)::int as deleted,
      count(*) filter (where duplicate_of is null and target_id is null and deleted_id is null)::int as unmatched
    from import_stage`.execute(db)
  return rows[0]!
}

/**
 * The staged rows whose key an earlier row of the file has, with that row's line, kept apart so
 * `listDuplicateLines` can page through them. Only the rejected-rows download asks.
 */
export async function stageDuplicateLines(db: Db) {
  await sql`
    create temp table import_duplicate on commit drop as
    select line, first_line from (
      select line, min(line) over (partition by key) as first_line from import_stage
    ) s
    where line <> first_line`.execute(db)
  await sql`alter table import_duplicate add primary key (line)`.execute(db)
}

export async function listDuplicateLines(db: Db, afterLine: number, limit: number) {
  const { rows } = await sql<{ line: number; first_line: number }>`
    select line, first_line from import_duplicate where line > ${afterLine} order by line limit ${limit}`.execute(
    db,
  )
  return rows
}

export async function listDuplicates(db: Db, limit: number) {
  const { rows } = await sql<{ line: number; first_line: number; key: string; case_collision: boolean }>`
    select s.line, s.duplicate_of as first_line, s.raw_key as key,
      f.raw_key <> s.raw_key and lower(f.raw_key) = lower(s.raw_key) as case_collision
    from import_stage s join import_stage f on f.line = s.duplicate_of
    where s.duplicate_of is not null order by s.line limit ${limit}`.execute(db)
  return rows
}

export async function restoreDeletedMatches(
  db: Db,
  kind: ImportKind,
  workspaceId: WorkspaceId,
  importId: ImportId,
) {
  const t = targets[kind]
  const table = sql.table(t.table)
  await sql`
    insert into import_change (import_id, entity, entity_id, action, before)
    select ${importId}, ${t.entity}, x.id, 'restored', to_jsonb(x)
    from ${table} x join import_stage s on s.deleted_id = x.id where x.workspace_id = ${workspaceId}`.execute(
    db,
  )
  await sql`
    update ${table} x set deleted_at = null, deleted_reason = null, updated_at = now()
    from import_stage s where s.deleted_id = x.id and x.workspace_id = ${workspaceId}`.execute(db)
  await sql`update import_stage set target_id = deleted_id, deleted_id = null where deleted_id is not null`.execute(
    db,
  )
}

/** Marks staged rows whose values would change their matched row (`merged` maps column → new value). */
export async function markChanged(
  db: Db,
  kind: ImportKind,
  workspaceId: WorkspaceId,
  merged: Record<string, unknown>,
) {
  const table = sql.table(targets[kind].table)
  const columns = Object.keys(merged)
  await sql`
    update import_stage s set changed = (${sql.join(columns.map((c) => sql.ref(`x.${c}`)))})
      is distinct from (${sql.join(Object.values(merged) as never[])})
    from ${table} x
    where x.workspace_id = ${workspaceId} and x.id = s.target_id`.execute(db)
}

export async function updateChanged(
  db: Db,
  kind: ImportKind,
  workspaceId: WorkspaceId,
  importId: ImportId,
  merged: Record<string, unknown>,
) {
  const t = targets[kind]
  const table = sql.table(t.table)
  await sql`
    insert into import_change (import_id, entity, entity_id, action, before)
    select ${importId}, ${t.entity}, x.id, 'updated', to_jsonb(x)
    from ${table} x join import_stage s on s.target_id = x.id
    where x.workspace_id = ${workspaceId} and s.changed`.execute(db)
  await sql`
    update ${table} x set ${sql.join(Object.entries(merged).map(([c, v]) => sql`${sql.ref(c)} = ${v as never}`))}, updated_at = now()
    from import_stage s
    where x.workspace_id = ${workspaceId} and s.target_id = x.id and s.changed`.execute(db)
}

/** The file's targets: the matched ones (staged) and the ones this import created. */
const fileTargets = sql`(select target_id as id from import_stage where target_id is not null
  union all select id from import_created)`

/**
 * Adds the file's targets to the group; returns how many were not members before. Rows this
 * import created cannot be members yet, so they are inserted without the conflict check, in id
 * order: an import's new ids grow, so the membership indexes grow at their ends. Their joining is
 * not logged for undo: undo deletes the created rows, and their memberships go with them.
 */
export async function joinGroup(db: Db, kind: ImportKind, groupId: string, importId: ImportId) {
  const t = targets[kind]
  const created = await sql<{ n: number }>`
    with joined as (
      insert into ${sql.table(t.membership)} (group_id, ${sql.ref(t.member)})
      select ${groupId}::uuid, f.id from import_created f order by f.id
      returning 1
    )
    select count(*)::int as n from joined`.execute(db)
  const matched = await sql<{ n: number }>`
    with joined as (
      insert into ${sql.table(t.membership)} (group_id, ${sql.ref(t.member)})
      select ${groupId}::uuid, f.id
      from (select distinct target_id as id from import_stage where target_id is not null) f order by f.id
      on conflict do nothing
      returning ${sql.ref(t.member)} as member
    ), logged as (
      insert into import_change (import_id, entity, entity_id, action, before)
      select ${importId}, 'membership', j.member, 'joined', jsonb_build_object('group_id', ${groupId}::uuid, 'kind', ${kind}::text) from joined j
    )
    select count(*)::int as n from joined`.execute(db)
  return created.rows[0]!.n + matched.rows[0]!.n
}

/** Synchronise: members not among the file's rows leave the group (they are not deleted). */
export async function leaveGroup(db: Db, kind: ImportKind, groupId: string, importId: ImportId) {
  const t = targets[kind]
  const member = sql.ref(`m.${t.member}`)
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from ${sql.table(t.membership)} m
      where m.group_id = ${groupId} and not exists (select 1 from ${fileTargets} f where f.id = ${member})
      returning ${member} as member, m.added_at
    ), logged as (
      insert into import_change (import_id, entity, entity_id, action, before)
      select ${importId}, 'membership', g.member, 'left',
        jsonb_build_object('group_id', ${groupId}::uuid, 'kind', ${kind}::text, 'added_at', g.added_at) from gone g
    )
    select count(*)::int as n from gone`.execute(db)
  return rows[0]!.n
}

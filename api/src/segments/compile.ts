import type { Condition, FilterGroup, TargetKind } from '@signet/shared'
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { containsPattern } from '../targets/keyset.ts'
import { findGroupDefinition } from './queries.ts'

type Sql = RawBuilder<boolean>
type ColumnType = 'text' | 'date'

// The allow-list: API field name → column and how it compares. Nothing else reaches SQL as a name.
const contactColumns: Record<string, [string, ColumnType]> = {
  email: ['email', 'text'],
  domain: ['domain', 'text'],
  firstName: ['first_name', 'text'],
  lastName: ['last_name', 'text'],
  phone: ['phone', 'text'],
  company: ['company', 'text'],
  jobTitle: ['job_title', 'text'],
  language: ['language', 'text'],
  timeZone: ['time_zone', 'text'],
  address: ['address', 'text'],
  source: ['source', 'text'],
  createdAt: ['created_at', 'date'],
  updatedAt: ['updated_at', 'date'],
  consentGivenAt: ['consent_given_at', 'date'],
  trackingOptOutAt: ['tracking_opt_out_at', 'date'],
}
const accountColumns: Record<string, [string, ColumnType]> = {
  domain: ['domain', 'text'],
  name: ['name', 'text'],
  size: ['size', 'text'],
  industry: ['industry', 'text'],
  contactPerson: ['contact_person', 'text'],
  website: ['website', 'text'],
  notes: ['notes', 'text'],
  createdAt: ['created_at', 'date'],
  updatedAt: ['updated_at', 'date'],
}

const NUMBER = '^-?[0-9]+(\\.[0-9]+)?$'
// Only real months, hours and zones; the day is checked against its month beside it (isDate,
// storedDate), so no text that passes makes a cast fail.
const DATE =
  '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$'
const MAX_DEPTH = 4

interface Context {
  db: Db
  workspaceId: WorkspaceId
  /** Dynamic groups being expanded, against cycles. */
  groups: Set<string>
  /** The saved segment being compiled, if any: a dynamic group defined by it is a cycle. */
  segmentId: string | undefined
  depth: number
}

const invalid = (message: string, field: string) => new ApiError('validation_failed', message, field)

/**
 * A segment filter as a parameterised SQL condition on `contact` or `account` rows of one
 * workspace. Values are always bound parameters; names come from the allow-lists above.
 */
export function compileFilter(
  db: Db,
  workspaceId: WorkspaceId,
  kind: TargetKind,
  filter: FilterGroup,
  field = 'filter',
  segmentId?: string,
): Promise<Sql> {
  return compileGroup({ db, workspaceId, groups: new Set(), depth: 0, segmentId }, kind, filter, field)
}

async function compileGroup(ctx: Context, kind: TargetKind, group: FilterGroup, field: string): Promise<Sql> {
  const parts: Sql[] = []
  for (const [i, node] of group.conditions.entries()) {
    const path = `${field}.conditions.${i}`
    parts.push(
      node.type === 'group'
        ? await compileGroup(ctx, kind, node, path)
        : await compileCondition(ctx, kind, node, path),
    )
  }
  if (parts.length === 0) return sql<boolean>`true`
  return sql<boolean>`(${sql.join(parts, group.combinator === 'and' ? sql` and ` : sql` or `)})`
}

async function compileCondition(ctx: Context, kind: TargetKind, c: Condition, path: string): Promise<Sql> {
  const table = kind
  switch (c.type) {
    case 'field': {
      const column = (kind === 'contact' ? contactColumns : accountColumns)[c.field]
      if (!column)
        throw invalid(
          `${kind === 'contact' ? 'Contacts' : 'Accounts'} have no field "${c.field}".`,
          `${path}.field`,
        )
      return compare(sql.ref(`${table}.${column[0]}`), column[1], c.op, c.value, path)
    }
    case 'custom_field':
      return compareCustom(sql`${sql.ref(`${table}.custom_fields`)}->>${c.key}`, c.op, c.value, path)
    case 'account_field':
    case 'account_custom_field': {
      if (kind !== 'contact')
        throw invalid('Account conditions apply to contact segments only.', `${path}.type`)
      const inner =
        c.type === 'account_field'
          ? compare(
              sql.ref(`a.${accountColumns[c.field]![0]}`),
              accountColumns[c.field]![1],
              c.op,
              c.value,
              path,
            )
          : compareCustom(sql`a.custom_fields->>${c.key}`, c.op, c.value, path)
      return sql<boolean>`exists (select 1 from account a where a.id = contact.account_id and a.deleted_at is null and ${inner})`
    }
    case 'labels': {
      if (kind !== 'contact') throw invalid('Labels apply to contact segments only.', `${path}.type`)
      const values = sql`cast(${sql.val(c.values)} as text[])`
      if (c.op === 'any') return sql<boolean>`contact.labels && ${values}`
      if (c.op === 'all') return sql<boolean>`contact.labels @> ${values}`
      return sql<boolean>`not (contact.labels && ${values})`
    }
    case 'status':
      if (kind !== 'contact') throw invalid('Statuses apply to contact segments only.', `${path}.type`)
      return sql<boolean>`contact.status in (${sql.join(c.values)})`
    case 'target_group':
      return compileMembership(ctx, kind, c.groupId, c.op, path)
    case 'activity': {
      // Human events only, through the delivery: statistics stay with the target whatever its
      // groups are now. Contacts are on deliveries only where the tracking tier keeps people.
      const ids = kind === 'contact' ? sql`d.contact_ids` : sql`d.account_ids`
      const campaign = c.campaignId ? sql`and e.campaign_id = ${c.campaignId}` : sql``
      return sql<boolean>`${sql.ref(`${kind}.id`)} in (
        select unnest(${ids}) from tracking_event e join delivery d on d.id = e.delivery_id
         where e.workspace_id = ${ctx.workspaceId} and d.workspace_id = ${ctx.workspaceId}
           and e.kind = ${c.action === 'viewed' ? 'view' : 'click'} and e.human
           and e.occurred_at > now() - make_interval(days => ${c.withinDays}) ${campaign})`
    }
  }
}

async function compileMembership(
  ctx: Context,
  kind: TargetKind,
  groupId: string,
  op: 'in' | 'not_in',
  path: string,
) {
  const group = await findGroupDefinition(ctx.db, ctx.workspaceId, groupId)
  if (!group) throw invalid('This target group does not exist.', `${path}.groupId`)
  if (group.kind !== kind)
    throw invalid(`This is a group of ${group.kind}s, not of ${kind}s.`, `${path}.groupId`)
  let inGroup: Sql
  if (group.filter) {
    if (ctx.groups.has(groupId) || group.segment_id === ctx.segmentId || ctx.depth >= MAX_DEPTH) {
      throw invalid('Dynamic groups refer to each other in a circle.', `${path}.groupId`)
    }
    const inner = { ...ctx, groups: new Set([...ctx.groups, groupId]), depth: ctx.depth + 1 }
    inGroup = await compileGroup(inner, kind, group.filter as FilterGroup, `${path}.groupId`)
  } else if (kind === 'contact') {
    inGroup = sql<boolean>`exists (select 1 from target_group_contact m where m.group_id = ${groupId} and m.contact_id = contact.id)`
  } else {
    inGroup = sql<boolean>`exists (select 1 from target_group_account m where m.group_id = ${groupId} and m.account_id = account.id)`
  }
  return op === 'in' ? inGroup : sql<boolean>`not ${inGroup}`
}

function needValue(value: string | number | undefined, path: string): string | number {
  if (value === undefined || value === '') throw invalid('Give a value to compare with.', `${path}.value`)
  return value
}

function compare(
  ref: RawBuilder<unknown> | ReturnType<typeof sql.ref>,
  type: ColumnType,
  op: string,
  value: string | number | undefined,
  path: string,
): Sql {
  if (op === 'is_empty')
    return type === 'text' ? sql<boolean>`coalesce(${ref}, '') = ''` : sql<boolean>`${ref} is null`
  if (op === 'is_not_empty')
    return type === 'text' ? sql<boolean>`coalesce(${ref}, '') <> ''` : sql<boolean>`${ref} is not null`
  if (type === 'date') {
    if (!['before', 'after', 'less_than', 'greater_than'].includes(op)) {
      throw invalid('Compare dates with before, after, is empty or is not empty.', `${path}.op`)
    }
    const v = dateValue(value, path)
    return op === 'before' || op === 'less_than'
      ? sql<boolean>`${ref} < cast(${v} as timestamptz)`
      : sql<boolean>`${ref} > cast(${v} as timestamptz)`
  }
  const v = String(needValue(value, path))
  switch (op) {
    case 'equals':
      return sql<boolean>`lower(${ref}) = lower(${v})`
    case 'not_equals':
      return sql<boolean>`lower(coalesce(${ref}, '')) <> lower(${v})`
    case 'contains':
      return sql<boolean>`${ref} ilike ${containsPattern(v)}`
    case 'starts_with':
      return sql<boolean>`${ref} ilike ${`${containsPattern(v).slice(1)}`}`
    case 'greater_than':
    case 'less_than': {
      // "1000" > "500" as numbers, not as text; a stored value that is not a number never matches.
      const n = numberValue(v)
      if (n !== undefined) return compareNumbers(ref, op, n)
      return op === 'greater_than' ? sql<boolean>`${ref} > ${v}` : sql<boolean>`${ref} < ${v}`
    }
    default:
      throw invalid(
        'Compare text with equals, not equals, contains, starts with, greater or less than.',
        `${path}.op`,
      )
  }
}

/** Custom fields hold any JSON value: numbers and dates are compared only where the value is one. */
function compareCustom(
  ref: RawBuilder<unknown>,
  op: string,
  value: string | number | undefined,
  path: string,
): Sql {
  let dates = op === 'before' || op === 'after'
  if (op === 'greater_than' || op === 'less_than') {
    const v = needValue(value, path)
    const n = numberValue(v)
    if (n !== undefined) return compareNumbers(ref, op, n)
    // A date value compares with the dates stored, as dates.
    dates = isDate(String(v).trim())
  }
  if (dates) {
    const v = dateValue(value, path)
    const date = storedDate(ref)
    return op === 'before' || op === 'less_than'
      ? sql<boolean>`${date} < cast(${v} as timestamptz)`
      : sql<boolean>`${date} > cast(${v} as timestamptz)`
  }
  return compare(ref, 'text', op, value, path)
}

function isDate(v: string): boolean {
  if (!new RegExp(DATE).test(v)) return false
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d
}

function dateValue(value: string | number | undefined, path: string): string {
  const v = String(needValue(value, path)).trim()
  if (!isDate(v)) throw invalid('Enter a date such as 2026-12-01.', `${path}.value`)
  return v
}

/** A stored text as a timestamp where it is a real date (not 2026-02-31), else null. */
function storedDate(ref: RawBuilder<unknown>) {
  const lastDay = sql`extract(day from make_date(cast(substr(${ref}, 1, 4) as int), cast(substr(${ref}, 6, 2) as int), 1) + interval '1 month' - interval '1 day')`
  return sql`case when ${ref} ~ ${DATE} then case when cast(substr(${ref}, 9, 2) as int) <= ${lastDay} then cast(${ref} as timestamptz) end end`
}

/** The value as a number literal, when it is one (surrounding spaces aside). */
function numberValue(value: string | number): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  const v = value.trim()
  return new RegExp(NUMBER).test(v) ? v : undefined
}

/** Compares as numbers where the stored text is one; other stored values (empty, "n/a") never match. */
function compareNumbers(ref: RawBuilder<unknown> | ReturnType<typeof sql.ref>, op: string, n: string): Sql {
  const num = sql`case when btrim(${ref}) ~ ${NUMBER} then cast(btrim(${ref}) as numeric) end`
  return op === 'greater_than'
    ? sql<boolean>`${num} > cast(${n} as numeric)`
    : sql<boolean>`${num} < cast(${n} as numeric)`
}

/** Both conditions: a list's own filter on top of a group's membership. */
export function allOf(first: Sql, second: Sql | undefined): Sql {
  return second ? sql<boolean>`(${first} and ${second})` : first
}

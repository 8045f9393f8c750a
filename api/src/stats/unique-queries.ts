import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { countRowUniques, NIL, rawRows, type Subject } from './queries.ts'
import { coverRange, type Part, type RollupGrain, type Span } from './range.ts'
import { CHUNK, ONE } from './reach-queries.ts'

/**
 * Unique accounts and contacts of a range: the `bit_or` of the reach sets of the buckets that
 * cover it (migration create_stats_reach), counted with `bit_count`, plus the distinct ordinals
 * of the sparse sets and of the raw events (where no bucket covers the range) that are not in
 * those bitmaps. Reads a few rows per bucket whatever the number of targets.
 */

interface SetSource {
  dim: 'workspace' | 'campaign' | 'employee' | 'target_group'
  dimId: string
  grains: readonly RollupGrain[]
  /** Members of a target group: the workspace's set of their kind, masked by them. */
  mask?: RawBuilder<unknown>
}

/** Which sets answer a subject's unique `key`s; undefined where the rows are summed instead. */
function setSource(subject: Subject, key: 'account' | 'contact'): SetSource | undefined {
  const s = subject.scope
  if (s === 'workspace') return { dim: 'workspace', dimId: NIL, grains: ['h', 'd', 'm'] }
  if (s === 'campaign') return { dim: 'campaign', dimId: subject.id, grains: ['h', 'd', 'm'] }
  // An employee's hours are few events; sets per employee and hour would be many tiny rows.
  if (s === 'employee') return { dim: 'employee', dimId: subject.id, grains: ['d', 'm'] }
  if (s === 'target_group' && key === subject.kind)
    return { dim: 'workspace', dimId: NIL, grains: ['h', 'd', 'm'], mask: subject.members }
  if (s === 'target_group' && subject.fresh)
    return { dim: 'target_group', dimId: subject.id, grains: ['h', 'd', 'm'] }
  return undefined
}

function setRows(workspaceId: WorkspaceId, source: SetSource, key: string, parts: Part[]) {
  return sql.join(
    parts.map(
      (p) => sql`select s.flag, s.chunk, s.bits, s.ords from stats_reach s
        where s.workspace_id = ${workspaceId} and s.dim = ${source.dim} and s.dim_id = ${source.dimId}::uuid
          and s.target = ${key} and s.grain = ${p.grain}
          and s.bucket >= ${p.from.toISOString()}::timestamptz and s.bucket < ${p.to.toISOString()}::timestamptz`,
    ),
    sql` union all `,
  )
}

export async function countUniques(
  db: Db,
  workspaceId: WorkspaceId,
  subject: Subject,
  key: 'account' | 'contact',
  span: Span,
) {
  const source = setSource(subject, key)
  if (!source) return countRowUniques(db, workspaceId, subject, key, span)
  const parts = coverRange(span.from, span.to, source.grains)
  const fromSets = parts.filter((p) => p.grain !== 'raw')
  const fromRaw = parts.filter((p) => p.grain === 'raw')
  const raw = fromRaw.length
    ? sql`select r.id, sum(r.sent + r.views + r.clicks) > 0 as reached, sum(r.clicks) > 0 as clicked,
        sum(r.clicks_human) > 0 as clicked_human
      from (${rawRows(workspaceId, subject, key, fromRaw)}) r group by r.id`
    : sql`select null::uuid as id, false as reached, false as clicked, false as clicked_human where false`
  const sets = fromSets.length
    ? setRows(workspaceId, source, key, fromSets)
    : sql`select null::text as flag, 0 as chunk, null::bit(8192) as bits, null::smallint[] as ords where false`
  const mask = source.mask
    ? sql`, mask as (select o.ord / ${CHUNK} as chunk, bit_or(${ONE} >> (o.ord % ${CHUNK})) as b
        from stats_ordinal o where o.workspace_id = ${workspaceId} and o.kind = ${key} and o.id in (${source.mask})
        group by 1)`
    : sql``
  // Targets of raw events that have no ordinal yet (still queued) are in no set: counted apart.
  const { rows } = await sql<{ flag: string; n: number }>`
    with raw as (${raw}),
    flagged as (
      select x.id, o.ord, f.flag from raw x
      left join stats_ordinal o on o.workspace_id = ${workspaceId} and o.kind = ${key} and o.id = x.id
      cross join lateral (values ('reached', x.reached), ('clicked', x.clicked), ('clicked_human', x.clicked_human))
        as f(flag, yes)
      where f.yes
    ),
    sets as (${sets}),
    dense as (select flag, chunk, bit_or(bits) as b from sets where bits is not null group by flag, chunk),
    sparse as (
      select distinct flag, chunk, o from (
        select flag, chunk, unnest(ords)::int as o from sets where ords is not null
        union all select flag, ord / ${CHUNK}, ord % ${CHUNK} from flagged where ord is not null
      ) x
    )
    ${mask}
    select flag, sum(n)::int as n from (
      select d.flag, bit_count(${source.mask ? sql`d.b & k.b` : sql`d.b`}) as n
      from dense d ${source.mask ? sql`join mask k on k.chunk = d.chunk` : sql``}
      union all
      select s.flag, count(*) from sparse s
      left join dense d on d.flag = s.flag and d.chunk = s.chunk
      ${source.mask ? sql`join mask k on k.chunk = s.chunk and get_bit(k.b, s.o) = 1` : sql``}
      where d.b is null or get_bit(d.b, s.o) = 0
      group by s.flag
      union all select flag, count(*) from flagged where ord is null group by flag
    ) c group by flag`.execute(db)
  const count = (flag: string) => rows.find((r) => r.flag === flag)?.n ?? 0
  return { reached: count('reached'), clicked_human: count('clicked_human'), clicked: count('clicked') }
}

import type { FilterGroup, Segment } from '@signet/shared'
import type { Selectable } from 'kysely'
import type { SegmentTable } from '../db/schema.ts'
import type { BoundedCount } from '../targets/count-queries.ts'

export function toSegment(row: Selectable<SegmentTable>, counted: BoundedCount): Segment {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    filter: row.filter as FilterGroup,
    count: counted.count,
    countIsEstimate: counted.estimated,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

import type { FilterGroup, Segment } from '@signet/shared'
import type { Selectable } from 'kysely'
import type { SegmentTable } from '../db/schema.ts'

export function toSegment(row: Selectable<SegmentTable>, count: number): Segment {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    filter: row.filter as FilterGroup,
    count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

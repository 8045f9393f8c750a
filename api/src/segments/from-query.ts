import { FilterGroupSchema, type TargetKind } from '@signet/shared'
import type { RawBuilder } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { parseOrThrow } from '../http/validate.ts'
import { allOf, compileFilter } from './compile.ts'
import { findSegmentById } from './queries.ts'

/**
 * The extra condition of a list request: an unsaved filter (`filter`, JSON — "smart search") or a
 * saved segment (`segmentId`). Undefined when neither is given.
 */
export async function listFilter(
  db: Db,
  workspaceId: WorkspaceId,
  kind: TargetKind,
  query: { filter?: string | undefined; segmentId?: string | undefined },
): Promise<(() => RawBuilder<boolean>) | undefined> {
  const parts: RawBuilder<boolean>[] = []
  if (query.filter) {
    let json: unknown
    try {
      json = JSON.parse(query.filter)
    } catch {
      throw new ApiError('validation_failed', 'The filter is not valid JSON.', 'filter')
    }
    parts.push(await compileFilter(db, workspaceId, kind, parseOrThrow(FilterGroupSchema, json, 'filter')))
  }
  if (query.segmentId) {
    const segment = await findSegmentById(db, workspaceId, query.segmentId)
    if (!segment) throw new ApiError('validation_failed', 'This segment does not exist.', 'segmentId')
    if (segment.kind !== kind) {
      throw new ApiError('validation_failed', `This is a segment of ${segment.kind}s.`, 'segmentId')
    }
    parts.push(await compileFilter(db, workspaceId, kind, segment.filter as never, 'segmentId'))
  }
  if (parts.length === 0) return undefined
  return () => parts.reduce((a, b) => allOf(a, b))
}

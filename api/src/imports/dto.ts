import type { Import, ImportProgress, ImportReport } from '@signet/shared'
import type { Selectable } from 'kysely'
import type { ImportJobTable } from '../db/schema.ts'
import type { ImportOptions } from './run.ts'

/** An import as the API answers it; `names` holds the name of its creator (`findUserNames`). */
export function toImport(
  row: Selectable<ImportJobTable>,
  preview: string[][],
  names: Map<string, string>,
): Import {
  const creator = row.created_by ? names.get(row.created_by) : undefined
  return {
    id: row.id,
    kind: row.kind,
    targetGroupId: row.target_group_id,
    fileName: row.file_name,
    byteSize: Number(row.byte_size),
    dialect: { encoding: row.encoding, delimiter: row.delimiter, header: row.has_header },
    headers: row.headers,
    mapping: row.mapping,
    mode: row.mode,
    status: row.status,
    source: row.source,
    preview,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by && creator !== undefined ? { id: row.created_by, name: creator } : null,
    appliedAt: row.applied_at?.toISOString() ?? null,
    undoneAt: row.undone_at?.toISOString() ?? null,
    undo: (row.undo_report as Import['undo']) ?? null,
    restoreDeleted: (row.options as ImportOptions | null)?.restoreDeleted === true,
    liftSuppressions: (row.options as ImportOptions | null)?.liftSuppressions === true,
    report: (row.report as ImportReport | null) ?? null,
    error: row.error,
    progress: (row.progress as ImportProgress | null) ?? null,
  }
}

import { z } from './zod.ts'

export const importKinds = ['accounts', 'contacts'] as const
export const importModes = ['add', 'update', 'add_update', 'synchronise'] as const

export const ImportKindSchema = z.enum(importKinds)
export const ImportModeSchema = z.enum(importModes)

export const UploadImportQuerySchema = z.object({
  kind: ImportKindSchema,
  /** Import into (or, with mode synchronise, mirror) this target group. */
  targetGroupId: z.uuid().optional(),
  fileName: z.string().trim().min(1).max(255).optional(),
})

export const importStatuses = [
  'uploaded',
  'checking',
  'checked',
  'applying',
  'applied',
  'failed',
  'undone',
] as const

/** What a dry run or an apply reports while it runs in the background, kept once it ends. */
export const ImportProgressSchema = z
  .object({
    /** `check`: a dry run; `apply`: the apply. */
    run: z.enum(['check', 'apply']),
    /**
     * `reading`: rows are read and checked; `writing`: every row is read and the run matches
     * and writes them (a dry run too, then rolls back); `finished`: the run ended.
     */
    phase: z.enum(['reading', 'writing', 'finished']),
    /** Data rows read so far. */
    rows: z.number().int(),
    /**
     * The data rows in all: a CRM list's length; for a file, estimated from its size and its
     * first lines (`totalIsEstimate`) until every row is read, then exact. Null when unknown.
     */
    total: z.number().int().nullable(),
    totalIsEstimate: z.boolean(),
    /** rows / total as a whole percentage (at most 99 while the total is an estimate). */
    percent: z.number().int().min(0).max(100).nullable(),
    startedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ImportProgress' })

export type ImportProgress = z.infer<typeof ImportProgressSchema>

export const CsvDelimiterSchema = z.enum([',', ';', '\t', '|'], {
  error: 'Choose a comma, a semicolon, a tab ("\\t") or a vertical bar ("|").',
})
export const CsvEncodingSchema = z.enum(['utf-8', 'utf-8-bom', 'windows-1252'])

export const ImportSchema = z
  .object({
    id: z.uuid(),
    kind: ImportKindSchema,
    targetGroupId: z.uuid().nullable(),
    fileName: z.string(),
    byteSize: z.number(),
    dialect: z.object({ encoding: CsvEncodingSchema, delimiter: CsvDelimiterSchema, header: z.boolean() }),
    headers: z.array(z.string()),
    /** For each column: the field it feeds, `custom.<key>` for a custom field, or null to skip. */
    mapping: z.array(z.string().nullable()),
    mode: ImportModeSchema,
    /** `checking` (dry run) and `applying` are runs under way: see `progress`. */
    status: z.enum(importStatuses),
    /** `file`: an uploaded CSV; `hubspot`: a synchronisation run of a linked HubSpot list. */
    source: z.enum(['file', 'hubspot']),
    /** The first rows of the file, as cells, for the preview. */
    preview: z.array(z.array(z.string())),
    createdAt: z.string(),
    /** Who uploaded the file or started the run; null for a scheduled CRM run or a removed user. */
    createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    /** When it was applied, and when undone; null until then. */
    appliedAt: z.string().nullable(),
    undoneAt: z.string().nullable(),
    /**
     * What the undo left as it is now because it changed since the import (edited, blacklisted,
     * deleted, …): how many, and the first 50 by email or domain. Null until undone.
     */
    undo: z.object({ kept: z.number().int(), keptTargets: z.array(z.string()) }).nullable(),
    /** Bring back contacts of the file that were deleted, instead of leaving them alone. */
    restoreDeleted: z.boolean(),
    /** Let the file's status and opt-out columns lift an unsubscribe, a blacklisting or an opt-out. */
    liftSuppressions: z.boolean(),
    /** The report of the last dry run or of the apply; null before the first check. */
    report: z.lazy(() => ImportReportSchema).nullable(),
    /** Why the last dry run or apply failed, when it did. */
    error: z.string().nullable(),
    /** The progress of the run under way, or of the last one; null before the first. */
    progress: ImportProgressSchema.nullable(),
  })
  .meta({ id: 'Import' })

export type Import = z.infer<typeof ImportSchema>

export const ImportReportSchema = z
  .object({
    mode: ImportModeSchema,
    dryRun: z.boolean(),
    total: z.number().int(),
    new: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    invalid: z.number().int(),
    duplicates: z.number().int(),
    deleted: z.number().int(),
    restored: z.number().int(),
    skipped: z.number().int(),
    leaving: z.number().int(),
    joined: z.number().int(),
    invalidRows: z.array(z.object({ line: z.number().int(), field: z.string(), reason: z.string() })),
    duplicateRows: z.array(
      z.object({
        line: z.number().int(),
        firstLine: z.number().int(),
        /** The email (contacts) or domain (accounts) as the file spells it. */
        key: z.string(),
        caseCollision: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'ImportReport' })

export type ImportReport = z.infer<typeof ImportReportSchema>

/** The choices of the mapping step; the API checks the mapping against the file's columns. */
export const UpdateImportSchema = z.strictObject({
  mapping: z.array(z.string().max(80).nullable()).max(500).optional(),
  mode: ImportModeSchema.optional(),
  header: z.boolean().optional(),
  /** Read the file with another delimiter or encoding than the detected one. */
  delimiter: CsvDelimiterSchema.optional(),
  encoding: CsvEncodingSchema.optional(),
  /** Bring back contacts of the file that were deleted, instead of leaving them alone. */
  restoreDeleted: z.boolean().optional(),
  /** Let the file's status and opt-out columns lift an unsubscribe, a blacklisting or an opt-out. */
  liftSuppressions: z.boolean().optional(),
})

/** `POST /api/imports/:id/dry-run` and `/apply`: by default they answer at once (202) and run in the background. */
export const RunImportQuerySchema = z.object({
  /** `true`: answer only when the run has ended, with its report (200), as one request. */
  wait: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
})

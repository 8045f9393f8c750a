import { z } from './zod.ts'

export const IdSchema = z.uuid()
export const IdParamsSchema = z.object({ id: IdSchema })

/** Emails as people type them: trimmed and compared lower-case. */
export const EmailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254))

export const PasswordSchema = z
  .string()
  .min(10, 'Use at least 10 characters for the password.')
  .max(200, 'Use at most 200 characters for the password.')

export const TimestampSchema = z.iso.datetime({ offset: true })

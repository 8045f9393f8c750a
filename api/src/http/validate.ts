import type { Context, MiddlewareHandler, ValidationTargets } from 'hono'
import { validator } from 'hono/validator'
import type { z } from 'zod'
import { ApiError } from './errors.ts'
import { attachMeta } from './openapi.ts'

type Target = 'json' | 'query' | 'param'

/** Turns the first zod issue into a 422 naming the field (`recipients.to.0`). */
export function validationError(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0]!
  const path = issue.path.map(String).join('.')
  const field = [prefix, path].filter(Boolean).join('.') || undefined
  return new ApiError('validation_failed', issue.message, field)
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw validationError(parsed.error, prefix)
  return parsed.data
}

/**
 * Validates one part of the request with a shared zod schema; handlers read the result with
 * `c.req.valid(target)`. The schema is also what the OpenAPI document shows for this route.
 */
export function valid<T extends Target, S extends z.ZodType>(
  target: T,
  schema: S,
): MiddlewareHandler<any, string, { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }> {
  const middleware = validator(target as keyof ValidationTargets, (value: unknown, c: Context) => {
    if (target === 'json' && !/^application\/([\w.-]+\+)?json\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(
        'unsupported_media_type',
        'Send the request body as JSON (Content-Type: application/json).',
        'body',
      )
    }
    return parseOrThrow(schema, value)
  }) as MiddlewareHandler
  return attachMeta(middleware, { [target]: schema }) as never
}

import type { Context, MiddlewareHandler, ValidationTargets } from 'hono'
import { validator } from 'hono/validator'
import type { z } from 'zod'
import { ApiError } from './errors.ts'
import { attachMeta } from './openapi.ts'

type Target = 'json' | 'query' | 'param'

/**
 * Turns the first zod issue into a 422 naming the field (`recipients.to.0`): an unknown key is
 * named itself (`colour`), and a value wrong as a whole (a list where an object belongs) is
 * named `root` when given (`body`).
 */
export function validationError(error: z.ZodError, prefix?: string, root?: string): ApiError {
  const issue = error.issues[0]!
  const path = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]!)
  const field = [prefix, ...path].filter(Boolean).join('.') || root
  return new ApiError('validation_failed', issue.message, field)
}

/**
 * Where `value` holds U+0000 in a string or a key, as a field path; undefined if nowhere.
 * PostgreSQL's text cannot store it, so such input is refused before it reaches a query.
 */
function nulPath(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined
  if (typeof value !== 'object' || value === null) return undefined
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\0')) return [...path, key.replaceAll('\0', '')]
    const found = nulPath(item, [...path, key])
    if (found) return found
  }
  return undefined
}

export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix?: string,
  root?: string,
): z.output<S> {
  const nul = nulPath(value)
  if (nul)
    throw new ApiError(
      'validation_failed',
      'Remove the invisible NUL character (U+0000) from this text.',
      [prefix, ...nul].filter(Boolean).join('.') || root,
    )
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw validationError(parsed.error, prefix, root)
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
    return parseOrThrow(schema, value, undefined, target === 'json' ? 'body' : undefined)
  }) as MiddlewareHandler
  return attachMeta(middleware, { [target]: schema }) as never
}

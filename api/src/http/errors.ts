import { type ErrorBody, type ErrorCode, errorStatus } from '@signet/shared'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The one error type handlers throw; `onError` turns it into the JSON error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code]
  }
}

export function notFound(what: string): ApiError {
  return new ApiError('not_found', `${what} not found.`)
}

export function errorBody(code: ErrorCode, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } }
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.field), err.status, err.headers)
  }
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return c.json(errorBody('malformed_json', 'The request body is not valid JSON.', 'body'), 400)
    }
    if (err.status === 413) {
      return c.json(errorBody('payload_too_large', 'The request body is too large.', 'body'), 413)
    }
    const code = (Object.entries(errorStatus).find(([, s]) => s === err.status)?.[0] ??
      'bad_request') as ErrorCode
    return c.json(errorBody(code, err.message || 'The request could not be handled.'), errorStatus[code])
  }
  if (isDatabaseUnreachable(err)) {
    console.error(`[signet] ${c.req.method} ${c.req.path}: database unreachable: ${err.message}`)
    return c.json(
      errorBody('unavailable', 'The database cannot be reached right now. Please try again in a moment.'),
      503,
      { 'Retry-After': '5' },
    )
  }
  console.error(`[signet] ${c.req.method} ${c.req.path} failed:`, err)
  return c.json(errorBody('internal', 'Something went wrong on our side. Please try again.'), 500)
}

export function onNotFound(c: Context): Response {
  return c.json(errorBody('not_found', `There is no ${c.req.method} ${c.req.path}.`), 404)
}

// Socket errors, pg's own "connection terminated", and PostgreSQL's connection-exception class
// (08…) and shutdown codes (57P01–57P03): the request may succeed once the database is back.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
])

function isDatabaseUnreachable(err: Error & { code?: unknown }): boolean {
  const code = typeof err.code === 'string' ? err.code : ''
  return (
    UNREACHABLE_CODES.has(code) ||
    /^08/.test(code) ||
    /^57P0[1-3]$/.test(code) ||
    /^(Connection terminated|Client has encountered a connection error)/.test(err.message)
  )
}

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
  console.error(`[signet] ${c.req.method} ${c.req.path} failed:`, err)
  return c.json(errorBody('internal', 'Something went wrong on our side. Please try again.'), 500)
}

export function onNotFound(c: Context): Response {
  return c.json(errorBody('not_found', `There is no ${c.req.method} ${c.req.path}.`), 404)
}

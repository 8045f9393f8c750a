import type { Role } from '@signet/shared'
import { ErrorBodySchema } from '@signet/shared'
import type { Hono, MiddlewareHandler } from 'hono'
import { z } from 'zod'

/** What a route tells the OpenAPI document, gathered from the middlewares it is built of. */
export interface RouteMeta {
  summary?: string
  description?: string
  tags?: string[]
  /** The success body; `null` for 204 No Content, a string for a non-JSON media type. */
  response?: z.ZodType | null | { contentType: string; description: string }
  status?: 200 | 201 | 202 | 204 | 302
  /** A second success answer, e.g. 200 with `wait=true` beside the usual 202. */
  alsoResponds?: { status: 200 | 201 | 202; description: string; response: z.ZodType }
  /** The weakest role allowed, or `public`. */
  role?: Role | 'public'
  json?: z.ZodType
  query?: z.ZodType
  param?: z.ZodType
  /** A request body that is not JSON (CSV upload, image upload). */
  body?: { contentType: string; description: string }
}

const META = Symbol('signet.openapi')

export function attachMeta<M extends MiddlewareHandler>(middleware: M, meta: RouteMeta): M {
  ;(middleware as any)[META] = meta
  return middleware
}

export function metaOf(handler: unknown): RouteMeta | undefined {
  return (handler as any)?.[META]
}

/** Describes a route for the OpenAPI document; does nothing at request time. */
export function describe(meta: RouteMeta): MiddlewareHandler {
  // Not `async`: passing `next()`'s promise on saves a promise per request.
  return attachMeta((_c, next) => next(), meta)
}

export interface DocumentedRoute {
  method: string
  path: string
  meta: RouteMeta
}

/** Every route of the app with the metadata its middlewares carry, `:id` written `{id}`. */
export function documentedRoutes(app: Hono<any>): DocumentedRoute[] {
  const byKey = new Map<string, DocumentedRoute>()
  for (const route of app.routes) {
    if (route.method === 'ALL') continue
    const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')
    const key = `${route.method} ${path}`
    const entry = byKey.get(key) ?? { method: route.method.toLowerCase(), path, meta: {} }
    Object.assign(entry.meta, metaOf(route.handler))
    byKey.set(key, entry)
  }
  return [...byKey.values()]
}

export function buildOpenApiDocument(app: Hono<any>, info: { version: string; serverUrl?: string }) {
  const components: Record<string, unknown> = {}
  const toSchema = (schema: z.ZodType, io: 'input' | 'output') => {
    const raw = z.toJSONSchema(schema, { io, unrepresentable: 'any' })
    // Schemas with a `meta({ id })` land in $defs; the document keeps them as shared components.
    const json = JSON.parse(JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<
      string,
      any
    >
    const defs = json.$defs as Record<string, unknown> | undefined
    if (defs) for (const [id, def] of Object.entries(defs)) components[id] ??= def
    delete json.$defs
    delete json.$schema
    return json
  }
  const errorRef = { $ref: '#/components/schemas/Error' }
  components.Error = toSchema(ErrorBodySchema, 'output')

  const paths: Record<string, Record<string, unknown>> = {}
  for (const { method, path, meta } of documentedRoutes(app)) {
    if (!meta.summary) continue
    const parameters: unknown[] = []
    for (const where of ['param', 'query'] as const) {
      const schema = meta[where]
      if (!(schema instanceof z.ZodObject)) continue
      const json = toSchema(schema, 'input')
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where === 'param' ? 'path' : 'query',
          required: where === 'param' || (json.required ?? []).includes(name),
          schema: prop,
        })
      }
    }
    const status = meta.status ?? (method === 'post' ? 201 : 200)
    const responses: Record<string, unknown> = {}
    if (meta.response === null || status === 204) responses[status] = { description: 'Done.' }
    else if (meta.response instanceof z.ZodType)
      responses[status] = {
        description: 'Success.',
        content: { 'application/json': { schema: toSchema(meta.response, 'output') } },
      }
    else if (meta.response)
      responses[status] = {
        description: meta.response.description,
        content: { [meta.response.contentType]: {} },
      }
    else responses[status] = { description: 'Success.' }
    if (meta.alsoResponds) {
      responses[meta.alsoResponds.status] = {
        description: meta.alsoResponds.description,
        content: { 'application/json': { schema: toSchema(meta.alsoResponds.response, 'output') } },
      }
    }
    const errors: Record<number, string> = { 422: 'The input is not valid; `field` names the first bad one.' }
    if (meta.role !== 'public') {
      errors[401] = 'No valid bearer token.'
      errors[403] = 'The role is too weak for this route.'
    }
    if (path.includes('{')) errors[404] = 'Not found in this workspace.'
    for (const [code, description] of Object.entries(errors)) {
      responses[code] = { description, content: { 'application/json': { schema: errorRef } } }
    }
    const operation: Record<string, unknown> = {
      summary: meta.summary,
      description: meta.description,
      tags: meta.tags,
      parameters,
      responses,
      'x-signet-role': meta.role ?? 'public',
    }
    if (meta.role && meta.role !== 'public') operation.security = [{ bearer: [] }]
    if (meta.json)
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(meta.json, 'input') } },
      }
    else if (meta.body)
      operation.requestBody = {
        required: true,
        description: meta.body.description,
        content: { [meta.body.contentType]: {} },
      }
    paths[path] ??= {}
    paths[path][method] = operation
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Signet API',
      version: info.version,
      description:
        'Email-signature campaigns targeted by recipient. Sign in at `POST /api/auth/sign-in` and send the token as `Authorization: Bearer …`. Every error has the shape `{ "error": { "code", "message", "field" } }`.',
    },
    servers: info.serverUrl ? [{ url: info.serverUrl }] : [],
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    paths,
  }
}

import { ResolveRequestSchema, ResolveResponseSchema, SimulateRequestSchema } from '@signet/shared'
import { Hono } from 'hono'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { resolveSignature } from './service.ts'

export const resolve = new Hono<AppEnv>()
export const simulate = new Hono<AppEnv>()

resolve.post(
  '/',
  describe({
    summary: 'Choose the banner for an email being written, and render the signature',
    description:
      'For the signed-in employee and the compose window’s To/Cc/Bcc. A tracked banner records a delivery; report "sent" with its `deliveryId`.',
    tags: ['resolve'],
    response: ResolveResponseSchema,
    status: 200,
  }),
  requireRole('employee'),
  valid('json', ResolveRequestSchema),
  async (c) => {
    // `c.get`, not `c.var`: Hono builds a new object of every variable on each `c.var` read.
    const auth = c.get('auth')
    return c.json(
      await resolveSignature(
        c.get('db'),
        c.get('config'),
        auth.workspaceId,
        auth.userId,
        c.req.valid('json'),
        {
          record: true,
        },
      ),
    )
  },
)

simulate.post(
  '/',
  describe({
    summary: 'Show which banner any employee would get for given recipients, and why',
    description:
      'Decides exactly like resolve but records no delivery; the banner carries no tracking token.',
    tags: ['resolve'],
    response: ResolveResponseSchema,
    status: 200,
  }),
  requireRole('marketer'),
  valid('json', SimulateRequestSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const input = c.req.valid('json')
    return c.json(
      await resolveSignature(db, config, auth.workspaceId, input.employeeId, input, { record: false }),
    )
  },
)

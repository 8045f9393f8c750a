import { z } from '@signet/shared'
import { Hono } from 'hono'
import { publicRoute } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { describe } from '../http/openapi.ts'
import { pingDatabase } from './queries.ts'

export const health = new Hono<AppEnv>()

const HealthSchema = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'unreachable']) })

health.get(
  '/',
  describe({
    summary: 'Is the API up and can it reach its database?',
    tags: ['health'],
    response: HealthSchema,
  }),
  publicRoute(),
  async (c) => {
    try {
      await pingDatabase(c.var.db)
      return c.json({ status: 'ok', database: 'ok' } as const)
    } catch {
      return c.json({ status: 'degraded', database: 'unreachable' } as const, 503)
    }
  },
)

import type { MiddlewareHandler } from 'hono'
import { type Config, RATE_LIMIT_DEFAULTS } from '../config.ts'
import { networkOf } from '../tracking/classify.ts'
import { clientAddress } from './auth.ts'
import type { AppEnv } from './context.ts'
import { ApiError } from './errors.ts'

/**
 * Requests per key in fixed one-minute windows, in this process's memory. Counting restarts with
 * every window, so the map never holds more than one minute's keys. With several API processes
 * each counts its own share: the limits guard against floods, not against a precise quota.
 */
export class RateLimiter {
  private counts = new Map<string, number>()
  private windowStart = 0

  constructor(
    /** Requests allowed per key and window; 0 switches the limit off. */
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts one request for `key`; the seconds to wait when it is over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    if (this.limit <= 0) return 0
    if (now - this.windowStart >= this.windowMs) {
      this.counts.clear()
      this.windowStart = now - (now % this.windowMs)
    }
    const count = (this.counts.get(key) ?? 0) + 1
    this.counts.set(key, count)
    if (count <= this.limit) return 0
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000))
  }
}

export interface RateLimits {
  /** Authenticated API requests per bearer token. */
  api: RateLimiter
  /** Tracking requests (banner images, clicks) per client network (/24 or /48). */
  tracking: RateLimiter
}

export function createRateLimits(config: Config): RateLimits {
  return {
    api: new RateLimiter(config.rateLimitApi ?? RATE_LIMIT_DEFAULTS.api),
    tracking: new RateLimiter(config.rateLimitTracking ?? RATE_LIMIT_DEFAULTS.tracking),
  }
}

export function tooManyRequests(retryAfter: number, what: string): ApiError {
  return new ApiError(
    'rate_limited',
    `Too many ${what}. Please wait ${retryAfter} second${retryAfter === 1 ? '' : 's'} and try again.`,
    undefined,
    { 'Retry-After': String(retryAfter) },
  )
}

/** Limits tracking requests per client network; answered before any token is checked. */
export function limitTrackingByNetwork(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const address = clientAddress(c)
    const retryAfter = c.get('limits').tracking.take(networkOf(address) ?? address)
    if (retryAfter) throw tooManyRequests(retryAfter, 'requests from your network')
    await next()
  }
}

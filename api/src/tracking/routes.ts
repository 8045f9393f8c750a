import { z } from '@signet/shared'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { DeliveryId, VariantId } from '../db/schema.ts'
import { clientAddress, publicRoute } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import type { TrackingRequest } from './classify.ts'
import { findVariantImageId } from './queries.ts'
import { trackingService } from './service.ts'
import { verifyDeliveryToken } from './token.ts'

/**
 * What recipients' mail clients request: the banner image (a view), the banner link (a click),
 * the hidden honeypot link, and the untracked banner. No session; the signed token is the key.
 * Answer first, record best-effort.
 */
export const tracking = new Hono<AppEnv>()

const NO_STORE = 'private, no-cache, no-store, max-age=0, must-revalidate'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// A transparent 1×1 GIF: what a mail client gets when the banner itself cannot be loaded.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

const TokenParams = z.object({ token: z.string() })
const ViewParams = z.object({ token: z.string(), imageVersion: z.string() })
const BannerParams = z.object({ variantId: z.uuid(), imageVersion: z.string() })

function invalidLink(): ApiError {
  return new ApiError('not_found', 'This link is not valid.', undefined, { 'cache-control': NO_STORE })
}

function trackingRequest(c: Context<AppEnv>, kind: TrackingRequest['kind']): TrackingRequest {
  return {
    kind,
    method: c.req.method,
    userAgent: c.req.header('user-agent'),
    address: clientAddress(c),
    at: new Date(),
  }
}

function image(c: Context<AppEnv>, contentType: string, bytes: Uint8Array, cacheControl: string) {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'content-type': contentType,
    'content-length': String(bytes.length),
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  })
}

const pixel = (c: Context<AppEnv>) => image(c, 'image/gif', PIXEL, NO_STORE)

function warn(what: string, error: unknown) {
  console.error(`[signet] tracking: ${what}:`, (error as Error)?.message ?? error)
}

tracking.get(
  '/t/v/:token/:imageVersion',
  describe({
    summary: 'Banner image of a delivery (records a view)',
    description:
      'The image bytes, never cached by the client, so each open reaches the API. One view per delivery and hour; HEAD is not counted.',
    tags: ['tracking'],
    param: ViewParams,
    response: { contentType: 'image/*', description: 'The banner image.' },
  }),
  publicRoute(),
  async (c) => {
    const id = verifyDeliveryToken(c.get('config').secret, c.req.param('token'))
    if (!id) throw invalidLink()
    const service = trackingService(c.get('db'))
    let delivery: Awaited<ReturnType<typeof service.delivery>>
    let banner: Awaited<ReturnType<typeof service.image>>
    try {
      delivery = await service.delivery(id as DeliveryId)
      if (!delivery) throw invalidLink()
      banner = delivery.image_id ? await service.image(delivery.image_id) : undefined
    } catch (error) {
      if (error instanceof ApiError) throw error
      // The mail client still gets an image, not a broken-image icon.
      warn('cannot load the banner', error)
      return pixel(c)
    }
    try {
      service.record(delivery, trackingRequest(c, 'view'))
    } catch (error) {
      warn('cannot record a view', error)
    }
    return banner ? image(c, banner.content_type, banner.bytes, NO_STORE) : pixel(c)
  },
)

tracking.get(
  '/t/c/:token',
  describe({
    summary: 'Banner link of a delivery (records a click)',
    description:
      'Redirects to the destination stored on the campaign, with its UTM parameters. Nothing in the request changes where it goes.',
    tags: ['tracking'],
    param: TokenParams,
    status: 302,
  }),
  publicRoute(),
  async (c) => {
    const id = verifyDeliveryToken(c.get('config').secret, c.req.param('token'))
    if (!id) throw invalidLink()
    const service = trackingService(c.get('db'))
    let delivery: Awaited<ReturnType<typeof service.delivery>>
    let stored: Awaited<ReturnType<typeof service.destination>>
    try {
      delivery = await service.delivery(id as DeliveryId)
      stored = delivery && (await service.destination(delivery.campaign_id))
    } catch (error) {
      // Without the database there is no stored destination to send anyone to.
      warn('cannot load a click destination', error)
      throw new ApiError(
        'unavailable',
        'This link cannot be opened right now. Please try again in a moment.',
        undefined,
        {
          'cache-control': NO_STORE,
          'retry-after': '5',
        },
      )
    }
    const location = delivery && stored?.location
    if (!delivery || !location) throw invalidLink()
    try {
      service.record(delivery, trackingRequest(c, 'click'))
    } catch (error) {
      warn('cannot record a click', error)
    }
    return c.body(null, 302, {
      location,
      'cache-control': NO_STORE,
      'referrer-policy': 'no-referrer',
    })
  },
)

tracking.get(
  '/t/h/:token',
  describe({
    summary: 'Hidden honeypot link of a delivery',
    description: 'No person sees this link; a request for it is recorded as a machine click.',
    tags: ['tracking'],
    param: TokenParams,
    response: { contentType: 'text/plain', description: 'An empty page.' },
  }),
  publicRoute(),
  async (c) => {
    const id = verifyDeliveryToken(c.get('config').secret, c.req.param('token'))
    if (!id) throw invalidLink()
    const service = trackingService(c.get('db'))
    const delivery = await service.delivery(id as DeliveryId)
    if (!delivery) throw invalidLink()
    try {
      service.record(delivery, trackingRequest(c, 'honeypot'))
    } catch (error) {
      warn('cannot record a honeypot hit', error)
    }
    return c.body('', 200, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': NO_STORE,
      'x-robots-tag': 'noindex, nofollow',
    })
  },
)

tracking.get(
  '/b/:variantId/:imageVersion',
  describe({
    summary: 'Untracked banner image',
    description: 'For recipients who opted out and workspaces that track nothing: the image, no event.',
    tags: ['tracking'],
    param: BannerParams,
    response: { contentType: 'image/*', description: 'The banner image.' },
  }),
  publicRoute(),
  async (c) => {
    const variantId = c.req.param('variantId')
    if (!UUID.test(variantId)) throw new ApiError('not_found', 'This banner does not exist.')
    const service = trackingService(c.get('db'))
    const variant = await findVariantImageId(c.get('db'), variantId as VariantId)
    const banner = variant?.image_id ? await service.image(variant.image_id) : undefined
    if (!banner) throw new ApiError('not_found', 'This banner does not exist.')
    return image(c, banner.content_type, banner.bytes, 'public, max-age=86400')
  },
)

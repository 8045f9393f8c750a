import { BlockList, isIPv4, isIPv6 } from 'node:net'
import type { MachineReason } from '@signet/shared'
import { isbot } from 'isbot'
import type { ImageProxy } from '../db/schema.ts'
import scanners from './data/scanners.json' with { type: 'json' }

/**
 * Human or machine, with the reason, for one tracking request. Pure apart from the scanner data:
 * what happened around the request (other hits on the delivery, its send time) comes in `context`.
 */

export interface TrackingRequest {
  kind: 'view' | 'click' | 'honeypot'
  method: string
  userAgent: string | undefined
  /** The client's address as seen by the API (after TRUST_PROXY). */
  address: string
  at: Date
}

export interface TrackingContext {
  /** When the employee sent the mail, or when the delivery was created if not reported yet. */
  sentAt: Date
  /** Whether the extension reported the send. */
  sent: boolean
  /** When resolve made the delivery. */
  createdAt: Date
  /** Another click or honeypot hit on the same delivery within the burst window. */
  burst: boolean
  /** The click's network clicked on many different deliveries within the network burst window. */
  networkBurst?: boolean
}

export interface Classification {
  human: boolean
  reason: MachineReason | null
  proxy: ImageProxy | null
}

/** A click this soon after the send is a scanner following links on arrival, not a reader. */
export const TOO_SOON_MS = 10_000
/** Hits on several of one delivery's links within this window come from something following every link. */
export const BURST_MS = 1_000
/**
 * Clicks from one network on this many different deliveries within `NETWORK_BURST_MS`: a security
 * gateway or crawler following the links of every mail it sees, not that many readers at once.
 */
export const NETWORK_BURST_DELIVERIES = 5
export const NETWORK_BURST_MS = 10_000

interface Matcher {
  name: string
  list: BlockList
}

function blockList(cidrs: string[]): BlockList {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/')
    list.addSubnet(net!, Number(bits), isIPv6(net!) ? 'ipv6' : 'ipv4')
  }
  return list
}

const scannerNetworks: Matcher[] = scanners.scannerNetworks.map((n) => ({
  name: n.name,
  list: blockList(n.cidrs),
}))
const scannerAgents = scanners.scannerUserAgents.map((s) => ({
  name: s.name,
  patterns: s.patterns.map((p) => p.toLowerCase()),
}))
const proxies = scanners.imageProxies.map((p) => ({
  proxy: p.proxy as ImageProxy,
  patterns: p.patterns.map((x) => x.toLowerCase()),
}))
const appleNetwork = blockList(scanners.applePrivacyPrefetch.cidrs)
/**
 * Loopback, private, shared (carrier NAT), link-local and documentation (RFC 5737, 3849) ranges:
 * no one's public network.
 */
const unroutable = blockList([
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '192.0.2.0/24',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '2001:db8::/32',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
])
const appleAgents = new Set(scanners.applePrivacyPrefetch.userAgents)

/** `::ffff:1.2.3.4`, as Node reports IPv4 clients on a dual-stack socket, is `1.2.3.4`. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped ? mapped[1]! : address
}

function family(address: string): 'ipv4' | 'ipv6' | undefined {
  return isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined
}

function inList(list: BlockList, raw: string): boolean {
  const address = plainAddress(raw)
  const f = family(address)
  return f !== undefined && list.check(address, f)
}

/** The scanner vendor whose published network the address is in, if any. */
export function scannerNetworkOf(address: string): string | undefined {
  return scannerNetworks.find((n) => inList(n.list, address))?.name
}

export function scannerAgentOf(userAgent: string): string | undefined {
  const ua = userAgent.toLowerCase()
  return scannerAgents.find((s) => s.patterns.some((p) => ua.includes(p)))?.name
}

/** Gmail's and Outlook's image fetchers, and Apple Mail Privacy Protection's prefetch. */
export function imageProxyOf(userAgent: string | undefined, address: string): ImageProxy | null {
  if (userAgent && appleAgents.has(userAgent.trim()) && inList(appleNetwork, address)) return 'apple'
  if (!userAgent) return null
  const ua = userAgent.toLowerCase()
  return proxies.find((p) => p.patterns.some((x) => ua.includes(x)))?.proxy ?? null
}

const machine = (reason: MachineReason, proxy: ImageProxy | null = null): Classification => ({
  human: false,
  reason,
  proxy,
})

/** How long an unsent delivery's views are taken for the compose window's own preview. */
export const PREVIEW_MS = 3_600_000

export function classify(req: TrackingRequest, context: TrackingContext): Classification {
  if (req.kind === 'honeypot') return machine('honeypot')
  if (req.method === 'HEAD') return machine('head_request')
  const ua = req.userAgent?.trim() ?? ''

  if (req.kind === 'view') {
    // The banner shows in the employee's own compose window before the mail goes: not a reader.
    // Without a send report for an hour, the report is taken as lost and views count again.
    if (!context.sent && req.at.getTime() - context.createdAt.getTime() < PREVIEW_MS)
      return machine('before_send')
    const proxy = imageProxyOf(ua, req.address)
    // Apple fetches every image of every mail at delivery time, opened or not.
    if (proxy === 'apple') return machine('apple_privacy_prefetch', 'apple')
    // A proxy fetch stands for a reader opening the mail; its own user agent is not a bot's.
    if (proxy) return { human: true, reason: null, proxy }
  }

  if (!ua) return machine('no_user_agent')
  const agent = scannerAgentOf(ua)
  if (agent) return machine(`scanner_user_agent:${agent}`)
  const network = scannerNetworkOf(req.address)
  if (network) return machine(`scanner_network:${network}`)
  if (isbot(ua)) return machine('bot_user_agent')

  if (req.kind === 'click') {
    if (context.burst) return machine('burst')
    if (context.networkBurst) return machine('network_burst')
    if (req.at.getTime() - context.sentAt.getTime() < TOO_SOON_MS) return machine('too_soon_after_send')
  }
  return { human: true, reason: null, proxy: null }
}

/**
 * Whether an address names a public network whose bursts of clicks can be looked for. Behind a
 * proxy that is not trusted (`TRUST_PROXY`), every click would seem to come from the proxy's own
 * private address, one "network" for everyone.
 */
export function isPublicAddress(address: string): boolean {
  const ip = plainAddress(address)
  return family(ip) !== undefined && !inList(unroutable, ip)
}

/** The network an address belongs to (/24 for IPv4, /48 for IPv6): what we keep instead of the address. */
export function networkOf(address: string): string | null {
  const ip = plainAddress(address)
  if (isIPv4(ip)) return `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`
  if (!isIPv6(ip)) return null
  const [head = '', tail = ''] = ip.split('::')
  const headParts = head ? head.split(':') : []
  const tailParts = tail ? tail.split(':') : []
  const groups = ip.includes('::')
    ? [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
    : headParts
  return `${groups
    .slice(0, 3)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/48`
}

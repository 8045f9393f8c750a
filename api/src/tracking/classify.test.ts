import { describe, expect, it } from 'vitest'
import { classify, isPublicAddress, networkOf, type TrackingRequest } from './classify.ts'

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15'
const sentAt = new Date('2026-11-24T10:00:00Z')
const later = new Date('2026-11-24T10:05:00Z')
/** A delivery whose send was reported. */
const sent = { sentAt, sent: true, createdAt: sentAt }

function request(overrides: Partial<TrackingRequest>): TrackingRequest {
  return {
    kind: 'click',
    method: 'GET',
    userAgent: BROWSER,
    address: '198.51.100.7',
    at: later,
    ...overrides,
  }
}

describe('classify', () => {
  it.each<[string, Partial<TrackingRequest>, boolean, string | null, string | null]>([
    ['a browser click', {}, true, null, null],
    ['an IPv4-mapped browser click', { address: '::ffff:198.51.100.7' }, true, null, null],
    ['the honeypot', { kind: 'honeypot' }, false, 'honeypot', null],
    ['HEAD', { method: 'HEAD' }, false, 'head_request', null],
    ['no user agent', { userAgent: undefined }, false, 'no_user_agent', null],
    ['isbot', { userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0)' }, false, 'bot_user_agent', null],
    ['Safe Links', { userAgent: `${BROWSER} SafeLinks` }, false, 'scanner_user_agent:microsoft', null],
    ['Proofpoint agent', { userAgent: 'ppops-3.0' }, false, 'scanner_user_agent:proofpoint', null],
    [
      'Barracuda agent',
      { userAgent: 'Barracuda Sentinel (EE)' },
      false,
      'scanner_user_agent:barracuda',
      null,
    ],
    ['Microsoft EOP network', { address: '40.92.1.1' }, false, 'scanner_network:microsoft', null],
    [
      'Microsoft IPv6 network',
      { address: '2a01:111:f400:fe00::1' },
      false,
      'scanner_network:microsoft',
      null,
    ],
    ['Proofpoint network', { address: '67.231.150.9' }, false, 'scanner_network:proofpoint', null],
    ['Mimecast network', { address: '205.139.110.61' }, false, 'scanner_network:mimecast', null],
    ['Barracuda network', { address: '209.222.82.1' }, false, 'scanner_network:barracuda', null],
    [
      'a click 3 s after the send',
      { at: new Date(sentAt.getTime() + 3_000) },
      false,
      'too_soon_after_send',
      null,
    ],
    ['a view 3 s after the send', { kind: 'view', at: new Date(sentAt.getTime() + 3_000) }, true, null, null],
    [
      'Gmail image proxy',
      { kind: 'view', userAgent: 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' },
      true,
      null,
      'gmail',
    ],
    [
      'Gmail proxy on a click',
      { userAgent: 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' },
      false,
      'bot_user_agent',
      null,
    ],
    [
      'Outlook',
      { kind: 'view', userAgent: 'Microsoft Office/16.0 (Microsoft Outlook 16.0.1)' },
      true,
      null,
      'outlook',
    ],
    [
      'Apple prefetch',
      { kind: 'view', userAgent: 'Mozilla/5.0', address: '17.1.2.3' },
      false,
      'apple_privacy_prefetch',
      'apple',
    ],
    ['bare Mozilla outside Apple', { kind: 'view', userAgent: 'Mozilla/5.0' }, false, 'bot_user_agent', null],
  ])('%s', (_name, overrides, human, reason, proxy) => {
    expect(classify(request(overrides), { ...sent, burst: false })).toEqual({ human, reason, proxy })
  })

  it('calls a click in a burst a machine click', () => {
    expect(classify(request({}), { ...sent, burst: true })).toEqual({
      human: false,
      reason: 'burst',
      proxy: null,
    })
  })

  it('calls a click in a network’s burst a machine click, after every reason that names the source', () => {
    const networkBurst = { ...sent, burst: false, networkBurst: true }
    expect(classify(request({}), networkBurst)).toEqual({
      human: false,
      reason: 'network_burst',
      proxy: null,
    })
    expect(classify(request({ address: '40.92.1.1' }), networkBurst).reason).toBe('scanner_network:microsoft')
    expect(classify(request({ kind: 'view' }), networkBurst)).toEqual({
      human: true,
      reason: null,
      proxy: null,
    })
  })
})

describe('views before the send is reported', () => {
  const created = new Date(later.getTime() - 60_000)
  const unsent = { sentAt: created, sent: false, createdAt: created, burst: false }
  it.each([
    ['a browser', {}],
    [
      'Gmail’s image proxy',
      {
        userAgent:
          'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      },
    ],
  ])('are the compose window’s own preview, even through %s', (_name, overrides) => {
    expect(classify(request({ kind: 'view', ...overrides }), unsent)).toEqual({
      human: false,
      reason: 'before_send',
      proxy: null,
    })
  })

  it('count again an hour after the delivery was made, when the send report is taken as lost', () => {
    const old = new Date(later.getTime() - 2 * 3_600_000)
    expect(classify(request({ kind: 'view' }), { ...unsent, sentAt: old, createdAt: old })).toEqual({
      human: true,
      reason: null,
      proxy: null,
    })
  })
})

describe('networkOf', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['unknown', null],
  ])('keeps only the network of %s', (address, network) => {
    expect(networkOf(address)).toBe(network)
  })
})

describe('isPublicAddress', () => {
  it.each([
    ['81.2.69.160', true],
    ['::ffff:81.2.69.160', true],
    ['2a00:1450:4001:82b::200e', true],
    ['10.1.2.3', false],
    ['172.20.0.1', false],
    ['192.168.1.1', false],
    ['100.64.0.9', false],
    ['127.0.0.1', false],
    ['::ffff:127.0.0.1', false],
    ['::1', false],
    ['fd12:3456::1', false],
    ['198.51.100.7', false],
    ['2001:db8::1', false],
    ['unknown', false],
  ])('%s names a public network: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected)
  })
})

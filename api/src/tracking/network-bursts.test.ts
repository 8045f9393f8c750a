import { describe, expect, it } from 'vitest'
import type { WorkspaceId } from '../db/schema.ts'
import { NETWORK_BURST_DELIVERIES, NETWORK_BURST_MS } from './classify.ts'
import { NetworkBursts } from './network-bursts.ts'

const ws = 'w1' as WorkspaceId
const net = '81.2.69.0/24'

describe('NetworkBursts', () => {
  it('starts a burst at the threshold with the earlier clicks, then goes on without them', () => {
    const bursts = new NetworkBursts()
    const answers = Array.from({ length: NETWORK_BURST_DELIVERIES + 1 }, (_, i) =>
      bursts.add(ws, net, `d${i}`, 1_000 + i * 100),
    )
    expect(answers.map((a) => a.bursting)).toEqual([
      ...Array(NETWORK_BURST_DELIVERIES - 1).fill(false),
      true,
      true,
    ])
    const started = answers[NETWORK_BURST_DELIVERIES - 1]!.started!
    expect(started.earlier.map((h) => h.deliveryId)).toEqual(
      Array.from({ length: NETWORK_BURST_DELIVERIES - 1 }, (_, i) => `d${i}`),
    )
    expect(started.since).toEqual(new Date(1_000))
    expect(answers.at(-1)!.started).toBeUndefined()
  })

  it('forgets clicks older than the window: a slow trickle never bursts', () => {
    const bursts = new NetworkBursts()
    const step = NETWORK_BURST_MS / (NETWORK_BURST_DELIVERIES - 1) + 1
    for (let i = 0; i < 3 * NETWORK_BURST_DELIVERIES; i++) {
      expect(bursts.add(ws, net, `d${i}`, i * step).bursting).toBe(false)
    }
  })

  it('keeps no network whose last click has left the window', () => {
    const bursts = new NetworkBursts()
    for (let i = 0; i < 1_000; i++) bursts.add(ws, `10.0.${i}.0/24`, 'd', 0)
    expect(bursts.size).toBe(1_000)
    bursts.add(ws, net, 'd', NETWORK_BURST_MS + 1)
    expect(bursts.size).toBe(1)
  })
})

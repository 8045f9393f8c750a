import { describe, expect, it } from 'vitest'
import { coverRange, decompose, localMidnight, resolveRange } from './range.ts'

const iso = (parts: { grain: string; from: Date; to: Date }[]) =>
  parts.map((p) => `${p.grain} ${p.from.toISOString().slice(0, 16)}..${p.to.toISOString().slice(0, 16)}`)

describe('decompose', () => {
  it('covers a range with months inside, days and hours around, raw minutes at uneven ends', () => {
    expect(iso(decompose(new Date('2026-01-14T22:30:00Z'), new Date('2026-04-02T05:00:00Z')))).toEqual([
      'raw 2026-01-14T22:30..2026-01-14T23:00',
      'h 2026-01-14T23:00..2026-01-15T00:00',
      'd 2026-01-15T00:00..2026-02-01T00:00',
      'm 2026-02-01T00:00..2026-04-01T00:00',
      'd 2026-04-01T00:00..2026-04-02T00:00',
      'h 2026-04-02T00:00..2026-04-02T05:00',
    ])
  })

  it('keeps a range within one hour or one day at the finest grain it needs', () => {
    expect(iso(decompose(new Date('2026-03-10T10:15:00Z'), new Date('2026-03-10T10:45:00Z')))).toEqual([
      'raw 2026-03-10T10:15..2026-03-10T10:45',
    ])
    expect(iso(decompose(new Date('2026-03-09T23:00:00Z'), new Date('2026-03-10T23:00:00Z')))).toEqual([
      'h 2026-03-09T23:00..2026-03-10T00:00',
      'h 2026-03-10T00:00..2026-03-10T23:00',
    ])
    expect(iso(decompose(new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z')))).toEqual([
      'm 2026-03-01T00:00..2026-04-01T00:00',
    ])
  })
})

describe('coverRange', () => {
  const now = Date.parse('2026-03-10T14:20:00Z')

  it('reads the current month whole when the range ends in the future', () => {
    // Last 30 days in Berlin: 23:00 the day before the first day, to midnight after today.
    const range = resolveRange({ preset: 'last_30_days', tz: 'Europe/Berlin' }, now)
    expect(iso(coverRange(range.from, range.to, now))).toEqual([
      'h 2026-02-08T23:00..2026-02-09T00:00',
      'd 2026-02-09T00:00..2026-03-01T00:00',
      'm 2026-03-01T00:00..2026-04-01T00:00',
    ])
    // Today in UTC is one day's row already.
    const today = resolveRange({ preset: 'today', tz: 'UTC' }, now)
    expect(iso(coverRange(today.from, today.to, now))).toEqual(['d 2026-03-10T00:00..2026-03-11T00:00'])
  })

  it('splits a range exactly where its end is past or too close to the clock', () => {
    const past = [new Date('2026-02-01T23:00:00Z'), new Date('2026-03-05T23:00:00Z')] as const
    expect(coverRange(...past, now)).toEqual(decompose(...past))
    const closing = [new Date('2026-03-01T00:00:00Z'), new Date('2026-03-10T14:25:00Z')] as const
    expect(coverRange(...closing, now)).toEqual(decompose(...closing))
  })
})

describe('resolveRange', () => {
  const now = Date.parse('2026-03-29T12:00:00Z')

  it('finds local midnight across a DST change', () => {
    // Berlin switches to summer time on 2026-03-29 at 02:00.
    expect(localMidnight('Europe/Berlin', 2026, 3, 29).toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(localMidnight('Europe/Berlin', 2026, 3, 30).toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect(localMidnight('Asia/Kolkata', 2026, 3, 11).toISOString()).toBe('2026-03-10T18:30:00.000Z')
  })

  it('turns presets into local days, hourly under a week', () => {
    const today = resolveRange({ preset: 'today', tz: 'Europe/Berlin' }, now)
    expect(today).toMatchObject({ interval: 'hour', wholeHours: true })
    expect(today.buckets).toHaveLength(23)
    const week = resolveRange({ preset: 'last_7_days', tz: 'Europe/Berlin' }, now)
    expect(week.interval).toBe('day')
    expect(week.buckets.map((b) => b.toISOString().slice(0, 13))).toEqual([
      '2026-03-22T23',
      '2026-03-23T23',
      '2026-03-24T23',
      '2026-03-25T23',
      '2026-03-26T23',
      '2026-03-27T23',
      '2026-03-28T23',
    ])
    const lastMonth = resolveRange({ preset: 'last_month', tz: 'UTC' }, Date.parse('2026-01-10T00:00:00Z'))
    expect([lastMonth.from.toISOString(), lastMonth.to.toISOString()]).toEqual([
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ])
    expect(resolveRange({ preset: 'yesterday', tz: 'Asia/Kolkata' }, now).wholeHours).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../test/random.ts'
import { coverRange, localMidnight, type Part, resolveRange } from './range.ts'

const iso = (parts: { grain: string; from: Date; to: Date }[]) =>
  parts.map((p) => `${p.grain} ${p.from.toISOString().slice(0, 16)}..${p.to.toISOString().slice(0, 16)}`)

const HDM = ['h', 'd', 'm'] as const
const ALL = ['h', 'd', 'w', 'm', 'q'] as const
const PAST = Date.parse('2020-01-01T00:00:00Z')

/** Rows a key reads for a cover: one per bucket; raw minutes counted as very many. */
const rows = (parts: Part[]) => parts.reduce((n, p) => n + (p.grain === 'raw' ? 10_000 : buckets(p)), 0)
const buckets = (p: Part) => {
  let n = 0
  for (let t = p.from; t < p.to; t = next(p.grain, t)) n++
  return n
}
const next = (grain: string, t: Date) =>
  grain === 'h'
    ? new Date(t.getTime() + 3_600_000)
    : grain === 'd'
      ? new Date(t.getTime() + 86_400_000)
      : grain === 'w'
        ? new Date(t.getTime() + 7 * 86_400_000)
        : new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + (grain === 'm' ? 1 : 3), 1))

describe('coverRange', () => {
  it('covers a past range exactly: months inside, days and hours around, raw minutes at uneven ends', () => {
    const from = new Date('2026-01-14T22:30:00Z')
    const to = new Date('2026-04-02T05:00:00Z')
    expect(iso(coverRange(from, to, HDM, PAST))).toEqual([
      'raw 2026-01-14T22:30..2026-01-14T23:00',
      'h 2026-01-14T23:00..2026-01-15T00:00',
      'd 2026-01-15T00:00..2026-02-01T00:00',
      'm 2026-02-01T00:00..2026-04-01T00:00',
      'd 2026-04-01T00:00..2026-04-02T00:00',
      'h 2026-04-02T00:00..2026-04-02T05:00',
    ])
    // Weeks start on Monday (19 January); quarters need whole quarters.
    expect(iso(coverRange(from, to, ALL, PAST))).toEqual([
      'raw 2026-01-14T22:30..2026-01-14T23:00',
      'h 2026-01-14T23:00..2026-01-15T00:00',
      'd 2026-01-15T00:00..2026-01-19T00:00',
      'w 2026-01-19T00:00..2026-01-26T00:00',
      'd 2026-01-26T00:00..2026-02-01T00:00',
      'm 2026-02-01T00:00..2026-04-01T00:00',
      'd 2026-04-01T00:00..2026-04-02T00:00',
      'h 2026-04-02T00:00..2026-04-02T05:00',
    ])
    expect(
      iso(coverRange(new Date('2025-09-28T22:00:00Z'), new Date('2026-04-08T22:00:00Z'), ALL, PAST)),
    ).toEqual([
      'h 2025-09-28T22:00..2025-09-29T00:00',
      'd 2025-09-29T00:00..2025-10-01T00:00',
      'q 2025-10-01T00:00..2026-04-01T00:00',
      'd 2026-04-01T00:00..2026-04-08T00:00',
      'h 2026-04-08T00:00..2026-04-08T22:00',
    ])
  })

  it('keeps a range within one hour or one day at the finest grain it needs', () => {
    expect(
      iso(coverRange(new Date('2026-03-10T10:15:00Z'), new Date('2026-03-10T10:45:00Z'), HDM, PAST)),
    ).toEqual(['raw 2026-03-10T10:15..2026-03-10T10:45'])
    expect(
      iso(coverRange(new Date('2026-03-09T23:00:00Z'), new Date('2026-03-10T23:00:00Z'), HDM, PAST)),
    ).toEqual(['h 2026-03-09T23:00..2026-03-10T23:00'])
    expect(
      iso(coverRange(new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), ALL, PAST)),
    ).toEqual(['m 2026-03-01T00:00..2026-04-01T00:00'])
    // Without hours (an employee's rows per campaign), an hour at an end is read from the events.
    expect(
      iso(coverRange(new Date('2026-03-09T23:00:00Z'), new Date('2026-03-12T23:00:00Z'), ['d', 'm'], PAST)),
    ).toEqual([
      'raw 2026-03-09T23:00..2026-03-10T00:00',
      'd 2026-03-10T00:00..2026-03-12T00:00',
      'raw 2026-03-12T00:00..2026-03-12T23:00',
    ])
    expect(
      iso(coverRange(new Date('2026-03-09T23:00:00Z'), new Date('2026-03-12T23:00:00Z'), [], PAST)),
    ).toEqual(['raw 2026-03-09T23:00..2026-03-12T23:00'])
  })
  const now = Date.parse('2026-03-10T14:20:00Z')

  it('reads the current month or quarter whole when the range ends in the future', () => {
    // Last 30 days in Berlin: 23:00 the day before the first day, to midnight after today.
    const range = resolveRange({ preset: 'last_30_days', tz: 'Europe/Berlin' }, now)
    expect(iso(coverRange(range.from, range.to, HDM, now))).toEqual([
      'h 2026-02-08T23:00..2026-02-09T00:00',
      'd 2026-02-09T00:00..2026-03-01T00:00',
      'm 2026-03-01T00:00..2026-04-01T00:00',
    ])
    // Five weeks from Monday 9 February; the last one ends after today.
    expect(iso(coverRange(range.from, range.to, ALL, now))).toEqual([
      'h 2026-02-08T23:00..2026-02-09T00:00',
      'w 2026-02-09T00:00..2026-03-16T00:00',
    ])
    const year = resolveRange({ preset: 'last_12_months', tz: 'Europe/Berlin' }, now)
    expect(iso(coverRange(year.from, year.to, ALL, now))).toEqual([
      'h 2025-03-10T23:00..2025-03-11T00:00',
      'd 2025-03-11T00:00..2025-03-17T00:00',
      'w 2025-03-17T00:00..2025-03-31T00:00',
      'd 2025-03-31T00:00..2025-04-01T00:00',
      'q 2025-04-01T00:00..2026-04-01T00:00',
    ])
    // Today in UTC is one day's row already.
    const today = resolveRange({ preset: 'today', tz: 'UTC' }, now)
    expect(iso(coverRange(today.from, today.to, ALL, now))).toEqual(['d 2026-03-10T00:00..2026-03-11T00:00'])
  })

  it('splits a range exactly where its end is past or too close to the clock', () => {
    const past = [new Date('2026-02-01T23:00:00Z'), new Date('2026-03-05T23:00:00Z')] as const
    expect(coverRange(...past, ALL, now)).toEqual(coverRange(...past, ALL, PAST))
    const closing = [new Date('2026-03-01T00:00:00Z'), new Date('2026-03-10T14:25:00Z')] as const
    expect(coverRange(...closing, ALL, now)).toEqual(coverRange(...closing, ALL, PAST))
  })

  it('tiles every range with aligned buckets, never more rows than months, days and hours', () => {
    const rnd = seededRandom(5)
    const aligned: Record<string, (t: Date) => boolean> = {
      h: (t) => t.getTime() % 3_600_000 === 0,
      d: (t) => t.getTime() % 86_400_000 === 0,
      w: (t) => t.getTime() % 86_400_000 === 0 && t.getUTCDay() === 1,
      m: (t) => t.getTime() % 86_400_000 === 0 && t.getUTCDate() === 1,
      q: (t) => t.getTime() % 86_400_000 === 0 && t.getUTCDate() === 1 && t.getUTCMonth() % 3 === 0,
    }
    for (let i = 0; i < 300; i++) {
      const start = Date.parse('2024-06-01T00:00:00Z') + Math.floor(rnd() * 700 * 96) * 900_000
      const from = new Date(start)
      const to = new Date(start + Math.floor(rnd() * 400 * 96) * 900_000 + 900_000)
      const clock = rnd() < 0.5 ? PAST : from.getTime() + rnd() * (to.getTime() - from.getTime())
      const earliest = clock + 10 * 60_000
      const open = to.getTime() > earliest && from.getTime() < earliest
      for (const grains of [HDM, ALL, ['d', 'm'] as const]) {
        const parts = coverRange(from, to, grains, clock)
        const label = `${from.toISOString()}..${to.toISOString()} ${grains.join('')} at ${new Date(clock).toISOString()}`
        expect(parts[0]!.from, label).toEqual(from)
        for (let k = 1; k < parts.length; k++) expect(parts[k]!.from, label).toEqual(parts[k - 1]!.to)
        const end = parts.at(-1)!.to
        if (open) expect(end.getTime(), label).toBeGreaterThanOrEqual(earliest)
        else expect(end, label).toEqual(to)
        for (const p of parts)
          if (p.grain !== 'raw') {
            expect(aligned[p.grain]!(p.from) && aligned[p.grain]!(p.to), label).toBe(true)
            expect(grains, label).toContain(p.grain)
          }
        if (grains === ALL)
          expect(rows(parts), label).toBeLessThanOrEqual(rows(coverRange(from, to, HDM, clock)))
      }
    }
  })

  it('reads at most 20 rows per key for the last 12 months, whatever the day', () => {
    let most = 0
    for (let day = 0; day < 366; day++) {
      const clock = Date.parse('2026-01-01T12:00:00Z') + day * 86_400_000
      const year = resolveRange({ preset: 'last_12_months', tz: 'Europe/Berlin' }, clock)
      most = Math.max(most, rows(coverRange(year.from, year.to, ALL, clock)))
    }
    // Months, days and hours alone need up to 44 (a year starting on the 2nd: 30 days, 12 months).
    expect(most).toBeLessThanOrEqual(20)
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

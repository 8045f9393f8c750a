import type { StatsPreset } from '@signet/shared'

/**
 * Time ranges of statistics: presets and custom days in the viewer's time zone turned into UTC
 * instants, and a range split into the rollup grains that cover it exactly.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR

export interface StatsRange {
  from: Date
  /** Exclusive. */
  to: Date
  tz: string
  interval: 'hour' | 'day'
  /** Every bucket start of the series, in order. */
  buckets: Date[]
  /** False in zones like Asia/Kolkata, where a local day does not start on a UTC hour. */
  wholeHours: boolean
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(tz: string) {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(tz, f)
  }
  return f
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(tz: string, at: number) {
  const parts: Record<string, number> = {}
  for (const p of formatter(tz).formatToParts(new Date(at)))
    if (p.type !== 'literal') parts[p.type] = +p.value
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! }
}

/** Minutes the zone is ahead of UTC at an instant. */
export function offsetMinutes(tz: string, at: number): number {
  const w = wallClock(tz, at)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute)
  return Math.round((asUtc - Math.floor(at / 60_000) * 60_000) / 60_000)
}

/** The instant local midnight starts the given calendar day in the zone. */
export function localMidnight(tz: string, year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day)
  let at = guess - offsetMinutes(tz, guess) * 60_000
  // Across a DST change the offset at the guess differs from the offset at the answer.
  at = guess - offsetMinutes(tz, at) * 60_000
  return new Date(at)
}

type Day = { year: number; month: number; day: number }

function addDays(d: Day, n: number): Day {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n))
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() }
}

function parseDay(text: string): Day {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number]
  return { year, month, day }
}

/** First day and the day after the last of a preset, as calendar days in the zone. */
function presetDays(preset: StatsPreset, today: Day, from?: string, to?: string): [Day, Day] {
  const monthStart = { ...today, day: 1 }
  switch (preset) {
    case 'today':
      return [today, addDays(today, 1)]
    case 'yesterday':
      return [addDays(today, -1), today]
    case 'last_7_days':
      return [addDays(today, -6), addDays(today, 1)]
    case 'last_30_days':
      return [addDays(today, -29), addDays(today, 1)]
    case 'last_90_days':
      return [addDays(today, -89), addDays(today, 1)]
    case 'this_month':
      return [monthStart, addDays(today, 1)]
    case 'last_month': {
      const start =
        today.month === 1
          ? { year: today.year - 1, month: 12, day: 1 }
          : { ...monthStart, month: today.month - 1 }
      return [start, monthStart]
    }
    case 'this_year':
      return [{ year: today.year, month: 1, day: 1 }, addDays(today, 1)]
    case 'last_12_months':
      return [addDays({ ...today, year: today.year - 1 }, 1), addDays(today, 1)]
    default:
      return [parseDay(from!), addDays(parseDay(to!), 1)]
  }
}

export function resolveRange(
  input: { preset: StatsPreset; from?: string; to?: string; tz: string },
  now = Date.now(),
): StatsRange {
  const { tz } = input
  const w = wallClock(tz, now)
  const [first, after] = presetDays(
    input.preset,
    { year: w.year, month: w.month, day: w.day },
    input.from,
    input.to,
  )
  const from = localMidnight(tz, first.year, first.month, first.day)
  const to = localMidnight(tz, after.year, after.month, after.day)
  const days: Date[] = []
  for (let d = first; ; d = addDays(d, 1)) {
    const at = localMidnight(tz, d.year, d.month, d.day)
    if (at >= to) break
    days.push(at)
  }
  const interval = days.length < 7 ? 'hour' : 'day'
  const buckets: Date[] = []
  if (interval === 'hour') for (let t = from.getTime(); t < to.getTime(); t += HOUR) buckets.push(new Date(t))
  const wholeHours = [...days, to].every((d) => d.getTime() % HOUR === 0)
  return { from, to, tz, interval, buckets: interval === 'hour' ? buckets : days, wholeHours }
}

/** Rollup grains: UTC hour, day, ISO week (from Monday), month and quarter. */
export type RollupGrain = 'h' | 'd' | 'w' | 'm' | 'q'
export type Grain = 'raw' | RollupGrain
export interface Part {
  grain: Grain
  from: Date
  to: Date
}

/** A range to count over; each reader covers it with the grains its rollup rows have. */
export interface Span {
  from: Date
  /** Exclusive. */
  to: Date
}

const floorHour = (t: number) => Math.floor(t / HOUR) * HOUR
const floorDay = (t: number) => Math.floor(t / DAY) * DAY
// 1970-01-01 was a Thursday: Monday-based weeks start three days before every seventh day.
const floorWeek = (t: number) => (Math.floor((t / DAY + 3) / 7) * 7 - 3) * DAY
const floorMonths = (t: number, months: number) => {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / months) * months, 1)
}
const addMonths = (t: number, n: number) => {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)
}

/** Where a bucket of each grain starts, and where the bucket starting at an aligned instant ends. */
const GRAINS: Record<RollupGrain, { floor: (t: number) => number; end: (t: number) => number }> = {
  h: { floor: floorHour, end: (t) => t + HOUR },
  d: { floor: floorDay, end: (t) => t + DAY },
  w: { floor: floorWeek, end: (t) => t + 7 * DAY },
  m: { floor: (t) => floorMonths(t, 1), end: (t) => addMonths(t, 1) },
  q: { floor: (t) => floorMonths(t, 3), end: (t) => addMonths(t, 3) },
}
const FINEST_FIRST: RollupGrain[] = ['h', 'd', 'w', 'm', 'q']

/** Raw minutes cost far more than any bucket: they are read event by event. */
const RAW_COST = 10_000

/** Events are stamped by the clock of the process recording them: minutes of skew at most. */
const SKEW = 10 * 60_000

/**
 * Covers [from, to) with the fewest rollup rows per key, from buckets of the given grains
 * (raw minutes only where a bound falls inside the finest of them): a shortest path over the
 * bucket boundaries, since weeks do not nest in months. A key reads one row per bucket.
 *
 * No event is recorded ahead of the clock, so when the range ends in the future (every preset
 * ending today) any end past now counts the same events: this month's or this quarter's row is
 * read whole rather than its days one by one. A range ending in the past is covered exactly.
 */
export function coverRange(from: Date, to: Date, grains: readonly RollupGrain[], now = Date.now()): Part[] {
  // Rounded up to the minute, so the calls of a minute share one answer (a range's few covers).
  const earliest = Math.ceil((now + SKEW) / 60_000) * 60_000
  const key = `${from.getTime()} ${to.getTime()} ${grains.join('')} ${earliest}`
  let parts = covers.get(key)
  if (!parts) {
    parts = shortestCover(from.getTime(), to.getTime(), grains, earliest)
    if (covers.size >= 256) covers.delete(covers.keys().next().value!)
    covers.set(key, parts)
  }
  return parts.map((p) => ({ ...p }))
}

const covers = new Map<string, Part[]>()

function shortestCover(start: number, stop: number, grains: readonly RollupGrain[], earliest: number) {
  const open = stop > earliest && start < earliest
  const usable = FINEST_FIRST.filter((g) => grains.includes(g))
  const finest = usable[0]
  const best = new Map<number, { cost: number; prev: number; grain: Grain }>([
    [start, { cost: 0, prev: start, grain: 'raw' }],
  ])
  // Boundaries in time order: every edge goes forward, so a boundary's cost is final when taken.
  const queue = [start]
  const relax = (at: number, next: number, grain: Grain, cost: number) => {
    const known = best.get(next)
    const total = best.get(at)!.cost + cost
    if (known && known.cost <= total) return
    if (!known) {
      let i = queue.length
      while (queue[i - 1]! > next) i--
      queue.splice(i, 0, next)
    }
    best.set(next, { cost: total, prev: at, grain })
  }
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!
    if (at === stop || (open && at >= earliest)) continue
    if (!finest) {
      relax(at, stop, 'raw', RAW_COST)
      continue
    }
    const up = GRAINS[finest].floor(at) === at ? at : GRAINS[finest].end(GRAINS[finest].floor(at))
    if (up !== at) relax(at, Math.min(up, stop), 'raw', RAW_COST)
    const startsDay = at % DAY === 0
    let dayFits = false
    for (let g = usable.length - 1; g >= 0; g--) {
      const grain = usable[g]!
      const { floor, end } = GRAINS[grain]
      if ((grain !== 'h' && !startsDay) || floor(at) !== at) continue
      const next = end(at)
      if (next > stop && !open) continue
      // An hour from a day's start leads only to that day's end, which the day's row reaches at once.
      if (grain === 'h' && dayFits) continue
      if (grain === 'd') dayFits = true
      relax(at, next, grain, 1)
    }
    const tail = GRAINS[finest].floor(stop)
    if (tail !== stop && at === tail) relax(at, stop, 'raw', RAW_COST)
  }
  let end = stop
  if (open)
    for (const [at, { cost }] of best)
      if (at >= earliest && (!best.has(end) || cost < best.get(end)!.cost)) end = at
  const parts: Part[] = []
  for (let at = end; at !== start; ) {
    const { prev, grain } = best.get(at)!
    const last = parts[0]
    if (last && last.grain === grain && grain !== 'raw') last.from = new Date(prev)
    else parts.unshift({ grain, from: new Date(prev), to: new Date(at) })
    at = prev
  }
  return parts
}

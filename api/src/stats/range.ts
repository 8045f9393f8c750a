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

export type Grain = 'raw' | 'h' | 'd' | 'm'
export interface Part {
  grain: Grain
  from: Date
  to: Date
}

const floorHour = (t: number) => Math.floor(t / HOUR) * HOUR
const floorDay = (t: number) => Math.floor(t / DAY) * DAY
const floorMonth = (t: number) => {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}
const nextMonth = (t: number) => {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}
const ceil = (t: number, floor: (t: number) => number, next: (t: number) => number) =>
  floor(t) === t ? t : next(floor(t))

/**
 * Splits [from, to) into the fewest rollup buckets: UTC months inside, UTC days around them,
 * UTC hours at the ends, and raw minutes only where a bound is not on the hour.
 */
export function decompose(fromDate: Date, toDate: Date): Part[] {
  const levels: [Grain, (t: number) => number, (t: number) => number][] = [
    ['raw', (t) => t, (t) => t],
    ['h', floorHour, (t) => floorHour(t) + HOUR],
    ['d', floorDay, (t) => floorDay(t) + DAY],
    ['m', floorMonth, nextMonth],
  ]
  const head: Part[] = []
  const tail: Part[] = []
  let a = fromDate.getTime()
  let b = toDate.getTime()
  for (let i = 0; i < levels.length - 1 && a < b; i++) {
    const [grain] = levels[i]!
    const [, floorUp, nextUp] = levels[i + 1]!
    const a2 = Math.min(ceil(a, floorUp, nextUp), b)
    const b2 = Math.max(floorUp(b), a2)
    if (a2 > a) head.push({ grain, from: new Date(a), to: new Date(a2) })
    if (b > b2) tail.unshift({ grain, from: new Date(b2), to: new Date(b) })
    a = a2
    b = b2
  }
  const middle: Part[] = a < b ? [{ grain: 'm', from: new Date(a), to: new Date(b) }] : []
  return [...head, ...middle, ...tail]
}

/** Events are stamped by the clock of the process recording them: minutes of skew at most. */
const SKEW = 10 * 60_000

/** Rows a key reads for the parts: one per bucket; raw minutes cost far more than any bucket. */
function cost(parts: Part[]) {
  let n = 0
  for (const { grain, from, to } of parts) {
    if (grain === 'raw') n += 10_000
    else if (grain === 'h') n += (to.getTime() - from.getTime()) / HOUR
    else if (grain === 'd') n += (to.getTime() - from.getTime()) / DAY
    else n += (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth()
  }
  return n
}

/**
 * The parts that answer [from, to) with the fewest rollup rows. No event is recorded ahead of
 * the clock, so when a range ends in the future (every preset ending today) any end past now
 * counts the same events: this month's row is read whole rather than today's hours and this
 * month's days one by one. A range ending in the past is split exactly.
 */
export function coverRange(from: Date, to: Date, now = Date.now()): Part[] {
  const exact = decompose(from, to)
  const earliest = now + SKEW
  if (to.getTime() <= earliest || from.getTime() >= earliest) return exact
  let best = exact
  let bestCost = cost(exact)
  for (const end of [
    ceil(earliest, floorHour, (t) => floorHour(t) + HOUR),
    ceil(earliest, floorDay, (t) => floorDay(t) + DAY),
    ceil(earliest, floorMonth, nextMonth),
  ]) {
    const parts = decompose(from, new Date(end))
    const c = cost(parts)
    if (c < bestCost) {
      best = parts
      bestCost = c
    }
  }
  return best
}

import { randomBytes } from 'node:crypto'

/**
 * The first 17 hex digits of the ids an import gives the rows it creates: UUID version 7 layout —
 * the import's start in milliseconds, version `7`, 12 random bits, the variant nibble (`8`–`b`) —
 * followed in SQL by an 8-digit counter in the rows' insert order and 7 random digits
 * (`importIdSql`). Ids that grow in insert order append to the primary key and to every index
 * that ends in the id (`created_at, id` …) instead of touching a random page per row, which is
 * what made inserting a million rows slow; they are still unique and not guessable (28 random
 * bits per row besides the time and the import's own random bits).
 */
export function importIdPrefix(now = Date.now()): string {
  const random = randomBytes(2)
  const time = now.toString(16).padStart(12, '0').slice(-12)
  const randA = (((random[0]! << 8) | random[1]!) & 0xfff).toString(16).padStart(3, '0')
  const variant = (0x8 | (randomBytes(1)[0]! & 0x3)).toString(16)
  return `${time}7${randA}${variant}`
}

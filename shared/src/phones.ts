import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * Answers per (country, number), bounded: libphonenumber is the slowest part of reading a
 * contact, and files repeat numbers (a company's switchboard on every row of its people).
 */
const numbers = new Map<string, string | null>()
const MAX_NUMBERS = 20_000

/**
 * A phone number in E.164 (`+4930123456`), or undefined when it is not a valid number. Numbers
 * without a country code are read for `defaultCountry` (Germany unless told otherwise).
 */
export function phoneToE164(input: string, defaultCountry: CountryCode = 'DE'): string | undefined {
  const value = input.trim()
  if (!value) return undefined
  const key = `${defaultCountry} ${value}`
  const known = numbers.get(key)
  if (known !== undefined) return known ?? undefined
  const parsed = parsePhoneNumberFromString(value, { defaultCountry, extract: false })
  const e164 = parsed?.isValid() ? parsed.number : null
  if (numbers.size >= MAX_NUMBERS) numbers.clear()
  numbers.set(key, e164)
  return e164 ?? undefined
}

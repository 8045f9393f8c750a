import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * A phone number in E.164 (`+4930123456`), or undefined when it is not a valid number. Numbers
 * without a country code are read for `defaultCountry` (Germany unless told otherwise).
 */
export function phoneToE164(input: string, defaultCountry: CountryCode = 'DE'): string | undefined {
  const value = input.trim()
  if (!value) return undefined
  const parsed = parsePhoneNumberFromString(value, { defaultCountry, extract: false })
  if (!parsed?.isValid()) return undefined
  return parsed.number
}

/** Time zones and languages as people write them, checked and stored one way. */

/**
 * An IANA time zone the runtime knows, in its own spelling (`europe/berlin` → `Europe/Berlin`);
 * a zone the runtime files under another name (`CET`) stays as written. Null when unknown.
 */
export function timeZoneOf(name: string): string | null {
  if (!name || name.length > 64) return null
  try {
    const known = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
    return known.toLowerCase() === name.toLowerCase() ? known : name
  } catch {
    return null
  }
}

/** Whether the runtime knows an IANA time zone (`Europe/Berlin`, `UTC`). */
export const isTimeZone = (name: string) => timeZoneOf(name) !== null

let languageNames: Map<string, string> | undefined
let english: Intl.DisplayNames | undefined

/** Names of the two-letter languages in English and German (`german`, `deutsch` → `de`). */
function namesOfLanguages(): Map<string, string> {
  if (languageNames) return languageNames
  english ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })
  const german = new Intl.DisplayNames(['de'], { type: 'language', fallback: 'none' })
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  languageNames = new Map()
  for (const a of letters)
    for (const b of letters)
      for (const names of [english, german]) {
        const name = names.of(a + b)?.toLowerCase()
        if (name && name !== a + b && !languageNames.has(name)) languageNames.set(name, a + b)
      }
  return languageNames
}

/**
 * A language as a BCP 47 tag (`de`, `en-GB`, `pt-BR`), from a tag in any case or with `_`
 * (`en_gb`), or from its name in English or German (`German`, `Deutsch`); null for anything else.
 */
export function languageTagOf(input: string): string | null {
  const value = input.trim()
  if (!value || value.length > 35) return null
  const named = namesOfLanguages().get(value.toLowerCase())
  if (named) return named
  let tag: string | undefined
  try {
    tag = Intl.getCanonicalLocales(value.replaceAll('_', '-'))[0]
  } catch {
    return null
  }
  const primary = tag?.split('-')[0] ?? ''
  english ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })
  return /^[a-z]{2,3}$/.test(primary) && english.of(primary) ? tag! : null
}

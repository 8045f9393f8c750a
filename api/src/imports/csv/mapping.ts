/** Which column feeds which field, suggested from header names in English and German. */
export type ImportKind = 'accounts' | 'contacts'

const synonyms: Record<ImportKind, Record<string, string[]>> = {
  accounts: {
    domain: ['domain', 'domains', 'domäne', 'companydomain', 'companydomainname', 'firmendomain'],
    name: [
      'name',
      'company',
      'companyname',
      'firma',
      'firmenname',
      'unternehmen',
      'organisation',
      'organization',
      'account',
      'accountname',
    ],
    industry: ['industry', 'branche', 'sector', 'sektor', 'industrie'],
    size: [
      'size',
      'companysize',
      'employees',
      'numberofemployees',
      'mitarbeiter',
      'mitarbeiteranzahl',
      'größe',
      'unternehmensgröße',
    ],
    contactPerson: ['contactperson', 'contact', 'ansprechpartner', 'kontaktperson', 'owner', 'accountowner'],
    website: [
      'website',
      'webseite',
      'url',
      'homepage',
      'web',
      'internetadresse',
      'internetseite',
      'companywebsite',
      'firmenwebsite',
      'websiteurl',
    ],
    notes: [
      'notes',
      'note',
      'notizen',
      'notiz',
      'bemerkung',
      'bemerkungen',
      'kommentar',
      'comment',
      'description',
      'beschreibung',
    ],
  },
  contacts: {
    email: [
      'email',
      'emailaddress',
      'e-mail',
      'e-mailadresse',
      'emailadresse',
      'mail',
      'mailadresse',
      'e-mail-adresse',
    ],
    firstName: ['firstname', 'first', 'givenname', 'vorname', 'forename'],
    lastName: ['lastname', 'last', 'surname', 'familyname', 'nachname', 'familienname', 'name'],
    phone: [
      'phone',
      'phonenumber',
      'telephone',
      'tel',
      'telefon',
      'telefonnummer',
      'mobile',
      'mobil',
      'handy',
      'mobilephone',
    ],
    company: ['company', 'companyname', 'firma', 'unternehmen', 'organisation', 'organization', 'account'],
    jobTitle: [
      'jobtitle',
      'title',
      'position',
      'role',
      'funktion',
      'berufsbezeichnung',
      'jobbezeichnung',
      'stellenbezeichnung',
    ],
    language: ['language', 'sprache', 'locale'],
    timeZone: ['timezone', 'zeitzone', 'tz'],
    address: ['address', 'adresse', 'anschrift', 'street', 'straße', 'strasse'],
    labels: ['labels', 'label', 'tags', 'tag', 'schlagwörter'],
    consent: [
      'consent',
      'consentgiven',
      'consentgivenat',
      'consentdate',
      'marketingconsent',
      'trackingconsent',
      'optin',
      'opt-in',
      'einwilligung',
      'einwilligungam',
      'einwilligungsdatum',
      'einverständnis',
    ],
    consentMethod: [
      'consentmethod',
      'consentsource',
      'howconsentwasgiven',
      'legalbasis',
      'legalbasisforprocessingcontactsdata',
      'einwilligungsart',
      'einwilligungsquelle',
      'rechtsgrundlage',
    ],
    status: ['status', 'contactstatus', 'kontaktstatus', 'emailstatus', 'subscriptionstatus', 'abostatus'],
    trackingOptOut: [
      'trackingoptout',
      'trackingoptoutat',
      'optout',
      'opt-out',
      'optedout',
      'donottrack',
      'trackingwiderspruch',
      'widerspruchtracking',
    ],
  },
}

/** Lower-case, without spaces, dots, underscores and (for matching) hyphens kept only in e-mail. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/^\uFEFF/, '')
    .replace(/[\s_.:*#()[\]]+/g, '')
    .trim()
}

const CUSTOM = /^custom\.[A-Za-z0-9_ -]{1,64}$/

/**
 * A file without a column named for the key may still hold it under another name: a Website or
 * URL column gives the account's domain (`https://www.acme.com/x` is understood as `acme.com`).
 */
const keyFallback: Record<ImportKind, string | undefined> = { accounts: 'website', contacts: undefined }

/**
 * For each column, the field it most likely feeds, or null. Exact synonyms win; each field is
 * given to one column at most (the first that matches). With no column named for the key, the
 * first column of its fallback field feeds the key, and a further such column the field itself.
 */
export function suggestMapping(kind: ImportKind, headers: string[]): (string | null)[] {
  const taken = new Set<string>()
  const mapping = assign(
    kind,
    headers,
    headers.map(() => null),
    taken,
  )
  const fallback = keyFallback[kind]
  const index = fallback ? mapping.indexOf(fallback) : -1
  if (fallback && !taken.has(keyField[kind]) && index >= 0) {
    mapping[index] = keyField[kind]
    taken.add(keyField[kind])
    taken.delete(fallback)
    return assign(kind, headers, mapping, taken)
  }
  return mapping
}

/** Gives the columns not mapped yet the first field not taken whose synonyms name them. */
function assign(
  kind: ImportKind,
  headers: string[],
  mapping: (string | null)[],
  taken: Set<string>,
): (string | null)[] {
  return headers.map((header, i) => {
    const given = mapping[i]
    if (given) return given
    // A `custom.<name>` column, as exports write them, feeds that custom field again.
    const custom = header.trim()
    if (CUSTOM.test(custom) && !taken.has(custom)) {
      taken.add(custom)
      return custom
    }
    const h = normaliseHeader(header)
    const plain = h.replaceAll('-', '')
    for (const [field, names] of Object.entries(synonyms[kind])) {
      if (taken.has(field)) continue
      if (names.some((n) => n === h || n.replaceAll('-', '') === plain)) {
        taken.add(field)
        return field
      }
    }
    return null
  })
}

/** The fields a column can feed, per kind; the first is the key that identifies a row. */
export const importFields: Record<ImportKind, string[]> = {
  accounts: Object.keys(synonyms.accounts),
  contacts: Object.keys(synonyms.contacts),
}

export const keyField: Record<ImportKind, string> = { accounts: 'domain', contacts: 'email' }

/** Why a mapping cannot be used, as [message, index of the column] — or undefined when it is fine. */
export function mappingProblem(
  kind: ImportKind,
  headers: string[],
  mapping: (string | null)[],
): [string, number?] | undefined {
  if (mapping.length !== headers.length) return [`Give one entry per column: the file has ${headers.length}.`]
  const seen = new Set<string>()
  for (const [i, field] of mapping.entries()) {
    if (field === null) continue
    if (!importFields[kind].includes(field) && !CUSTOM.test(field)) {
      return [
        `"${field}" is not a field of ${kind}; use one of ${importFields[kind].join(', ')} or custom.<name>.`,
        i,
      ]
    }
    if (seen.has(field)) return [`"${field}" is mapped to more than one column.`, i]
    seen.add(field)
  }
  if (!seen.has(keyField[kind])) {
    return [
      `Map a column to "${keyField[kind]}": it identifies each ${kind === 'accounts' ? 'account' : 'contact'}.`,
    ]
  }
  return undefined
}

import { describe, expect, it } from 'vitest'
import { accountDomain, displayDomain, registrableDomain } from './domains.ts'
import { canonicalEmail, parseEmail } from './emails.ts'
import { freeMailDomains, isFreeMailDomain } from './free-mail.ts'
import { phoneToE164 } from './phones.ts'

describe('accountDomain', () => {
  it.each([
    ['https://www.Acme.co.uk/x', 'acme.co.uk'],
    ['mail.acme.com', 'acme.com'],
    ['ACME.CO.UK', 'acme.co.uk'],
    ['http://shop.acme.de:8080/?q=1', 'acme.de'],
    ['max@sales.acme.com', 'acme.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['https://www.BÜCHER.de/', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
  ])('stores %s as %s', (input, domain) => {
    expect(accountDomain(input)).toEqual({ ok: true, domain })
  })

  it.each([
    'gmail.com',
    'googlemail.com',
    'https://web.de',
    'max@GMX.de',
    'Outlook.com',
    'kunde@hotmail.es',
    'yahoo.co.jp',
    'www.uol.com.br',
    'bigpond.com',
  ])('refuses the free-mail domain %s', (input) => {
    const result = accountDomain(input)
    expect(result).toMatchObject({ ok: false, reason: 'free_mail' })
  })

  it('explains the refusal of a free-mail domain', () => {
    expect(accountDomain('gmail.com')).toEqual({
      ok: false,
      reason: 'free_mail',
      message: 'gmail.com is a free-mail or internet-provider domain and cannot be an account.',
    })
  })

  it.each([
    'localhost',
    '127.0.0.1',
    'http://[::1]/',
    '192.168.0.1',
    'garbage',
    '',
    '  ',
    'acme .com',
    'co.uk',
    'ftp://acme.com',
    'a@b',
  ])('refuses %j as invalid', (input) => {
    expect(accountDomain(input)).toMatchObject({ ok: false, reason: 'invalid' })
  })
})

describe('displayDomain', () => {
  it.each([
    ['xn--bcher-kva.de', 'bücher.de'],
    ['acme.com', 'acme.com'],
  ])('shows %s as %s', (domain, shown) => expect(displayDomain(domain)).toBe(shown))
})

describe('isFreeMailDomain', () => {
  it.each([
    ['gmail.com', true],
    ['Outlook.com', true],
    ['acme.com', false],
  ])('%s → %s', (domain, expected) => expect(isFreeMailDomain(domain)).toBe(expected))

  it('lists registrable domains only, so every entry can match', () => {
    const domains = freeMailDomains()
    expect(domains.length).toBeGreaterThan(300)
    expect(domains.filter((d) => registrableDomain(d) !== d)).toEqual([])
  })
})

describe('parseEmail', () => {
  it.each([
    ['max@x.de', { email: 'max@x.de', domain: 'x.de' }],
    ['  MAX@X.DE ', { email: 'max@x.de', domain: 'x.de' }],
    ['Max Mustermann <max@x.de>', { email: 'max@x.de', name: 'Max Mustermann', domain: 'x.de' }],
    [
      '"Mustermann, Max" <Max@Sales.Acme.co.uk>',
      { email: 'max@sales.acme.co.uk', name: 'Mustermann, Max', domain: 'acme.co.uk' },
    ],
    ['<max@x.de>', { email: 'max@x.de', domain: 'x.de' }],
    ['mailto:max@x.de', { email: 'max@x.de', domain: 'x.de' }],
    ['max@bücher.de', { email: 'max@xn--bcher-kva.de', domain: 'xn--bcher-kva.de' }],
  ])('reads %j', (input, expected) => expect(parseEmail(input)).toEqual(expected))

  it.each(['max', 'max@', '@x.de', 'max@localhost', 'max@127.0.0.1', 'max x@x.de', 'Max <max>', 'max@x', ''])(
    'refuses %j',
    (input) => expect(parseEmail(input)).toBeUndefined(),
  )
})

describe('canonicalEmail', () => {
  it.each([
    ['Max.Mustermann+news@googlemail.com', 'maxmustermann@gmail.com'],
    ['maxmustermann@gmail.com', 'maxmustermann@gmail.com'],
    ['M.a.x@Gmail.com', 'max@gmail.com'],
    ['max.mustermann+x@acme.com', 'max.mustermann@acme.com'],
    ['MAX@ACME.COM', 'max@acme.com'],
    ['+only@acme.com', '+only@acme.com'],
  ])('%s → %s', (input, canonical) => expect(canonicalEmail(input)).toBe(canonical))
})

describe('phoneToE164', () => {
  it.each([
    ['+49 30 1234567', '+49301234567'],
    ['030 1234567', '+49301234567'],
    ['(030) 123-4567', '+49301234567'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0049 30 1234567', '+49301234567'],
  ])('%s → %s', (input, e164) => expect(phoneToE164(input)).toBe(e164))

  it('reads a national number for another default country', () => {
    expect(phoneToE164('(201) 555-0123', 'US')).toBe('+12015550123')
  })

  it.each(['123', 'abc', '', '+49 1', '+999 123456789'])('refuses %j', (input) =>
    expect(phoneToE164(input)).toBeUndefined(),
  )
})

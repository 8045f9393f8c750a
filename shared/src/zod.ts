import { z } from 'zod'

/**
 * Error messages a marketer understands, for every schema of the project. Schemas that need a
 * more specific sentence pass their own `error`; this map covers the generic cases.
 */
z.config({
  customError: (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) return 'This field is required.'
        if (issue.input === null) return 'This field cannot be empty.'
        return `Expected ${article(issue.expected)}, got ${describe(issue.input)}.`
      case 'too_small':
        if (issue.origin === 'string')
          return issue.minimum === 1
            ? 'This field cannot be empty.'
            : `Use at least ${issue.minimum} characters.`
        if (issue.origin === 'array')
          return `Give at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}.`
        return `Must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}.`
      case 'too_big':
        if (issue.origin === 'string') return `Use at most ${issue.maximum} characters.`
        if (issue.origin === 'array') return `Give at most ${issue.maximum} items.`
        return `Must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}.`
      case 'invalid_format':
        if (issue.format === 'email') return 'Enter a valid email address.'
        if (issue.format === 'url') return 'Enter a valid web address (http or https).'
        if (issue.format === 'uuid' || issue.format === 'guid') return 'This is not a valid id.'
        if (issue.format === 'datetime') return 'Enter a date and time such as 2026-12-01T09:00:00Z.'
        return `This is not a valid ${issue.format}.`
      case 'invalid_value':
        return `Choose one of: ${issue.values.map((v) => String(v)).join(', ')}.`
      case 'unrecognized_keys':
        return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.`
      default:
        return undefined
    }
  },
})

function article(expected: string): string {
  if (expected === 'int') return 'a whole number'
  if (expected === 'array') return 'a list'
  if (expected === 'object') return 'an object'
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
}

function describe(input: unknown): string {
  if (Array.isArray(input)) return 'a list'
  if (typeof input === 'object') return 'an object'
  return article(typeof input)
}

export { z }

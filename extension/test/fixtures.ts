import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const fixtureNames = [
  'gmail-new',
  'gmail-reply',
  'gmail-two',
  'gmail-popout',
  'gmail-unreadable',
  'outlook-new',
  'outlook-reply',
  'outlook-two',
  'outlook-popout',
] as const
export type FixtureName = (typeof fixtureNames)[number]

export function fixtureHtml(name: FixtureName): string {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', `${name}.html`), 'utf8')
}

/** Replaces the test document's body with the fixture's body and returns the document. */
export function loadFixture(name: FixtureName): Document {
  const parsed = new DOMParser().parseFromString(fixtureHtml(name), 'text/html')
  document.body.innerHTML = parsed.body.innerHTML
  return document
}

import { describe, expect, it } from 'vitest'
import { describeMachineReason } from './tracking.ts'

describe('describeMachineReason', () => {
  it.each([
    ['honeypot', 'Followed the hidden link no person can see.'],
    ['before_send', 'Loaded in the sender’s own compose window before the email was sent.'],
    ['scanner_network:microsoft', 'Came from the network of a mail security scanner (Microsoft).'],
    ['scanner_user_agent:mimecast', 'Link scanner of Mimecast.'],
    ['scanner_network:acme', 'Came from the network of a mail security scanner (acme).'],
    ['something_new', 'Recognised as automated.'],
  ])('%s', (reason, sentence) => {
    expect(describeMachineReason(reason)).toBe(sentence)
  })
})

import type { Import } from '@signet/shared/imports'

/** The fields a column can feed (as the API's `imports/csv/mapping.ts` allows), with their names. */
export const importFields: Record<Import['kind'], [string, string][]> = {
  contacts: [
    ['email', 'Email'],
    ['firstName', 'First name'],
    ['lastName', 'Last name'],
    ['phone', 'Phone'],
    ['company', 'Company'],
    ['jobTitle', 'Job title'],
    ['language', 'Language'],
    ['timeZone', 'Time zone'],
    ['address', 'Address'],
    ['labels', 'Labels'],
    ['consent', 'Consent (yes, no or the day given)'],
    ['consentMethod', 'How consent was given'],
    ['status', 'Status (never lifts an unsubscribe or blacklisting)'],
    ['trackingOptOut', 'Opted out of tracking (yes or the day)'],
  ],
  accounts: [
    ['domain', 'Domain'],
    ['name', 'Company name'],
    ['industry', 'Industry'],
    ['size', 'Size'],
    ['contactPerson', 'Contact person'],
    ['website', 'Website'],
    ['notes', 'Notes'],
  ],
}

/** A column kept as a custom field: `custom.<name>`, the name made of the characters the API allows. */
export function customFieldFor(header: string): string {
  const name = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_ -]+/g, '_')
    .trim()
    .slice(0, 64)
  return `custom.${name || 'column'}`
}

export const modeNames: Record<Import['mode'], string> = {
  add: 'Add — only new rows; existing ones stay as they are',
  update: 'Update — only rows that exist already; nothing new is created',
  add_update: 'Add and update — new rows are created, existing ones updated',
  synchronise: 'Synchronise — the group’s members become exactly the file’s rows',
}

export const statusNames: Record<Import['status'], string> = {
  uploaded: 'Uploaded',
  checking: 'Dry run under way',
  checked: 'Checked',
  applying: 'Applying',
  applied: 'Applied',
  failed: 'Failed',
  undone: 'Undone',
}

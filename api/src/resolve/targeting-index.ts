import { canonicalEmail } from '@signet/shared'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, ContactStatus, TargetGroupId, WorkspaceId } from '../db/schema.ts'
import {
  accountsByIds,
  accountsPage,
  changesSince,
  contactsByIds,
  contactsPage,
  currentSnapshot,
  groupsOf,
  type IndexedGroupRow,
  inOneSnapshot,
  pruneTargetingChanges,
} from './index-queries.ts'
import { Shared } from './shared-values.ts'

/**
 * The targeting tables of a workspace, in memory: live contacts by email, live accounts by domain
 * and alias, their static group memberships, and the groups. Resolve looks recipients up here
 * instead of querying per request.
 *
 * It stays current through the change log that triggers write (migration
 * create_targeting_change). While the change feed listens (`syncedIndex`), a resolve reads
 * nothing: only when a `signet_targets` notification has moved the workspace's version does the
 * next resolve apply the changes its snapshot could not see (or rebuild after an import).
 * Without the feed (`targetingIndex`), every resolve asks, in the same round trip as the
 * workspace settings, whether such changes were committed. Either way a change made through any
 * API process is served by all of them.
 *
 * Memory is about 250 bytes of heap per contact (measured: 200k contacts in one group), most
 * of it the id and email strings and the two maps; an index unused for an hour is dropped. Strings
 * that repeat (group ids, account ids, statuses) are shared, and so are the group lists.
 */

export interface ContactTarget {
  id: ContactId
  email: string
  accountId: AccountId | null
  status: ContactStatus
  trackingOptOut: boolean
  consent: boolean
  /**
   * A deleted contact is held only for what it asked (an opt-out, a suppressed status): it is in
   * no group, has no consent, and a live contact with the same address takes its place.
   */
  deleted: boolean
}

export interface AccountTarget {
  id: AccountId
  domain: string
}

export interface RecipientTargets {
  /** By lower-case email; deleted contacts only if opted out or suppressed (`ContactTarget.deleted`). */
  contacts: Map<string, ContactTarget>
  /** By registrable domain, the account's own or an alias (the value names the account's own domain). */
  accounts: Map<string, AccountTarget>
}

export interface GroupMembership {
  groupId: TargetGroupId
  groupName: string
  contactId: ContactId | null
  accountId: AccountId | null
}

export interface ContactEntry extends ContactTarget {
  groups: readonly TargetGroupId[]
}

export interface AccountEntry extends AccountTarget {
  aliases: string[]
  groups: readonly TargetGroupId[]
}

/** What `targets` answers: `RecipientTargets` with the index's entries as values. */
export interface IndexedTargets extends RecipientTargets {
  contacts: Map<string, ContactEntry>
  accounts: Map<string, AccountEntry>
}

const PAGE = 20_000
/** More changed targets than this in one sync: rebuilding is cheaper than reloading each. */
const MAX_INCREMENTAL = 20_000
const IDLE_MS = 60 * 60 * 1000
export class WorkspaceIndex {
  readonly contactsByEmail = new Map<string, ContactEntry>()
  /**
   * By canonical address (`canonicalEmail`: no `+tag`, Gmail without dots), only for contacts
   * whose address is not already canonical: `max+news@acme.com` is found as `max@acme.com`.
   */
  readonly contactsByCanonical = new Map<string, ContactEntry>()
  readonly contactsById = new Map<string, ContactEntry>()
  readonly accountsById = new Map<string, AccountEntry>()
  readonly accountsByDomain = new Map<string, AccountEntry>()
  readonly accountsByAlias = new Map<string, AccountEntry>()
  groups = new Map<TargetGroupId, IndexedGroupRow>()
  /** The snapshot everything here was read in (or verified against). */
  snapshot = ''
  /** The change feed's `targets` version it was last synced at (`syncedIndex`). */
  version = ''
  checkedAt = Date.now()

  /**
   * The recipients' live contacts and accounts (own domain before alias). The values are the
   * index's own entries (never changed in place: a change replaces the entry), so a request
   * allocates nothing per target and `memberships` needs no second lookup.
   */
  targets(emails: string[], domains: string[]): IndexedTargets {
    const result: IndexedTargets = { contacts: new Map(), accounts: new Map() }
    for (const email of emails) {
      const contact = this.contactsByEmail.get(email) ?? this.sameInbox(email)
      if (contact) result.contacts.set(email, contact)
    }
    for (const domain of domains) {
      const account = this.accountsByDomain.get(domain) ?? this.accountsByAlias.get(domain)
      if (account) result.accounts.set(domain, account)
    }
    return result
  }

  /**
   * The contact of another spelling of the same inbox (`max+news@acme.com` for `max@acme.com`,
   * `m.ax@gmail.com` for `max@googlemail.com`), so its opt-out, status and groups hold for all.
   */
  private sameInbox(email: string): ContactEntry | undefined {
    const canonical = canonicalEmail(email)
    return (
      (canonical !== email ? this.contactsByEmail.get(canonical) : undefined) ??
      this.contactsByCanonical.get(canonical)
    )
  }

  /**
   * Static memberships of the targets `targets` found, contacts first, each target once, with
   * the group names the explanation needs.
   */
  memberships(targets: IndexedTargets): GroupMembership[] {
    const result: GroupMembership[] = []
    for (const contact of targets.contacts.values())
      for (const g of contact.groups) this.addMembership(result, g, contact.id, null)
    const seen: AccountEntry[] = []
    for (const account of targets.accounts.values()) {
      // Two recipient domains (own and alias) can name one account.
      if (seen.includes(account)) continue
      seen.push(account)
      for (const g of account.groups) this.addMembership(result, g, null, account.id)
    }
    return result
  }

  private addMembership(
    result: GroupMembership[],
    groupId: TargetGroupId,
    contactId: ContactId | null,
    accountId: AccountId | null,
  ) {
    const group = this.groups.get(groupId)
    if (group && group.filter === null) result.push({ groupId, groupName: group.name, contactId, accountId })
  }

  /** Groups defined by a segment: their membership is evaluated in the database when needed. */
  dynamicGroups(): IndexedGroupRow[] {
    // Worked out again only when the groups were reloaded (a new map).
    if (this.dynamic?.of !== this.groups)
      this.dynamic = { of: this.groups, list: [...this.groups.values()].filter((g) => g.filter !== null) }
    return this.dynamic.list
  }
  private dynamic: { of: Map<TargetGroupId, IndexedGroupRow>; list: IndexedGroupRow[] } | undefined

  /** Repeated values of this index's entries, shared (`Shared`). */
  readonly shared = new Shared()

  putContact(row: Omit<ContactEntry, 'groups'>, groups: readonly TargetGroupId[]) {
    this.removeContact(row.id)
    // Every field named in one literal: the object holds them in itself (a spread would add
    // `groups` to a separate property store).
    const entry: ContactEntry = {
      id: row.id,
      email: row.email,
      accountId: this.shared.string(row.accountId),
      status: this.shared.string(row.status),
      trackingOptOut: row.trackingOptOut,
      consent: row.consent,
      deleted: row.deleted,
      groups: this.shared.groups(groups),
    }
    this.contactsById.set(row.id, entry)
    const holder = this.contactsByEmail.get(row.email)
    if (!entry.deleted || !holder || holder.deleted) this.contactsByEmail.set(row.email, entry)
    const canonical = canonicalEmail(row.email)
    if (canonical !== row.email) {
      const other = this.contactsByCanonical.get(canonical)
      if (!entry.deleted || !other || other.deleted) this.contactsByCanonical.set(canonical, entry)
    }
  }

  removeContact(id: string) {
    const old = this.contactsById.get(id)
    if (!old) return
    this.contactsById.delete(id)
    if (this.contactsByEmail.get(old.email) === old) this.contactsByEmail.delete(old.email)
    const canonical = canonicalEmail(old.email)
    if (this.contactsByCanonical.get(canonical) === old) this.contactsByCanonical.delete(canonical)
  }

  putAccount(row: { id: AccountId; domain: string; aliases: string[] }, groups: readonly TargetGroupId[]) {
    this.removeAccount(row.id)
    const entry: AccountEntry = {
      id: row.id,
      domain: row.domain,
      aliases: row.aliases,
      groups: this.shared.groups(groups),
    }
    this.accountsById.set(row.id, entry)
    this.accountsByDomain.set(row.domain, entry)
    for (const alias of row.aliases) this.accountsByAlias.set(alias, entry)
  }

  removeAccount(id: string) {
    const old = this.accountsById.get(id)
    if (!old) return
    this.accountsById.delete(id)
    if (this.accountsByDomain.get(old.domain) === old) this.accountsByDomain.delete(old.domain)
    for (const alias of old.aliases)
      if (this.accountsByAlias.get(alias) === old) this.accountsByAlias.delete(alias)
  }
}

/** Reads a whole workspace in one repeatable-read snapshot, which the next sync starts from. */
async function build(db: Db, workspaceId: WorkspaceId): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex()
  await inOneSnapshot(db, async (trx) => {
    index.snapshot = await currentSnapshot(trx)
    index.groups = new Map((await groupsOf(trx, workspaceId)).map((g) => [g.id, g]))
    for (let after: string | null = null; ; ) {
      const rows = await contactsPage(trx, workspaceId, after, PAGE)
      for (const r of rows) index.putContact(r, r.groups)
      if (rows.length < PAGE) break
      after = rows[rows.length - 1]!.id
    }
    for (let after: string | null = null; ; ) {
      const rows = await accountsPage(trx, workspaceId, after, PAGE)
      for (const r of rows) index.putAccount(r, r.groups)
      if (rows.length < PAGE) break
      after = rows[rows.length - 1]!.id
    }
  })
  return index
}

/** Applies what was committed since the index's snapshot; false when a rebuild is needed. */
async function sync(db: Db, workspaceId: WorkspaceId, index: WorkspaceIndex): Promise<boolean> {
  const { snapshot, changes } = await changesSince(db, workspaceId, index.snapshot)
  const contactIds = new Set<string>()
  const accountIds = new Set<string>()
  let groups = false
  for (const change of changes) {
    if (change.kind === 'reload') return false
    if (change.kind === 'group') groups = true
    else if (change.kind === 'contact') contactIds.add(change.target_id!)
    else accountIds.add(change.target_id!)
  }
  if (contactIds.size + accountIds.size > MAX_INCREMENTAL) return false
  if (groups) index.groups = new Map((await groupsOf(db, workspaceId)).map((g) => [g.id, g]))
  if (contactIds.size) {
    const rows = await contactsByIds(db, workspaceId, [...contactIds])
    for (const id of contactIds) index.removeContact(id)
    for (const r of rows) index.putContact(r, r.groups)
  }
  if (accountIds.size) {
    const rows = await accountsByIds(db, workspaceId, [...accountIds])
    for (const id of accountIds) index.removeAccount(id)
    for (const r of rows) index.putAccount(r, r.groups)
  }
  index.snapshot = snapshot
  return true
}

interface Slot {
  index: WorkspaceIndex | null
  /** Builds and syncs of one workspace run one after the other. */
  queue: Promise<unknown>
}

const slots = new WeakMap<Db, Map<WorkspaceId, Slot>>()
let lastPrune = 0

function slotOf(db: Db, workspaceId: WorkspaceId): Slot {
  let map = slots.get(db)
  if (!map) {
    map = new Map()
    slots.set(db, map)
  }
  let slot = map.get(workspaceId)
  if (!slot) {
    slot = { index: null, queue: Promise.resolve() }
    map.set(workspaceId, slot)
  }
  return slot
}

/** Runs `run` after the builds and syncs of the workspace queued before it. */
function queued(slot: Slot, run: () => Promise<WorkspaceIndex>): Promise<WorkspaceIndex> {
  const result = slot.queue.then(run, run)
  slot.queue = result.catch(() => {})
  return result
}

function pruneNowAndThen(db: Db) {
  if (Date.now() - lastPrune > 10 * 60 * 1000) {
    lastPrune = Date.now()
    pruneTargetingChanges(db).catch(() => {})
  }
}

/**
 * The index of a workspace while the change feed is live: `version` is the feed's `targets`
 * version, read before calling. An index synced at that version is current and returned as it
 * is; otherwise the changes since its snapshot are applied first.
 */
export function syncedIndex(
  db: Db,
  workspaceId: WorkspaceId,
  version: string,
): WorkspaceIndex | Promise<WorkspaceIndex> {
  const slot = slotOf(db, workspaceId)
  const current = slot.index
  const now = Date.now()
  if (current && current.version === version && now - current.checkedAt <= IDLE_MS) {
    current.checkedAt = now
    return current
  }
  return queued(slot, async () => {
    let index = slot.index
    if (index && Date.now() - index.checkedAt <= IDLE_MS) {
      if (index.version !== version) {
        if (await sync(db, workspaceId, index)) index.version = version
        else index = null
      }
    } else index = null
    if (!index) {
      slot.index = null
      index = await build(db, workspaceId)
      index.version = version
      slot.index = index
    }
    index.checkedAt = Date.now()
    pruneNowAndThen(db)
    return index
  })
}

/** The snapshot to ask the change log about, or null when the index must be (re)built. */
export function indexSnapshot(db: Db, workspaceId: WorkspaceId): string | null {
  const index = slots.get(db)?.get(workspaceId)?.index
  if (!index || Date.now() - index.checkedAt > IDLE_MS) return null
  return index.snapshot
}

/**
 * The current index of a workspace. `since` is what `indexSnapshot` said before the caller read
 * `seen` — whether changes were committed after `since`, and its own snapshot — with the workspace
 * settings.
 */
export function targetingIndex(
  db: Db,
  workspaceId: WorkspaceId,
  since: string | null,
  seen: { changed: boolean; snapshot: string },
): Promise<WorkspaceIndex> {
  const slot = slotOf(db, workspaceId)
  const run = async (): Promise<WorkspaceIndex> => {
    let index = slot.index
    if (index && since !== null && Date.now() - index.checkedAt <= IDLE_MS) {
      if (seen.changed) {
        // Read the changes from wherever the index is now (another request may have moved it).
        if (!(await sync(db, workspaceId, index))) index = null
      } else if (index.snapshot === since) index.snapshot = seen.snapshot
      // Else another request moved the index past `since`; nothing was committed between `since`
      // and `seen`, so it is current for this request too.
    } else index = null
    if (!index) {
      slot.index = null
      index = await build(db, workspaceId)
      slot.index = index
    }
    index.checkedAt = Date.now()
    pruneNowAndThen(db)
    return index
  }
  return queued(slot, run)
}

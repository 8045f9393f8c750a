import type { Contact } from '@signet/shared/contacts'
import { useEffect, useState } from 'preact/hooks'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { Empty, ErrorState, Loading, Notice } from '../ui/states.tsx'
import { StatusBadge } from './contacts/actions.tsx'
import { displayName } from './contacts/ContactList.tsx'
import { date, exportCsv, plural } from './targets/common.tsx'

type Channel = 'email' | 'phone'
interface Group {
  channel: Channel
  key: string
  count: number
  members: Contact[]
}
interface DuplicatesPage {
  counts: Record<Channel, number>
  groups: Group[]
  nextCursor: string | null
}

/** Contacts sharing a canonical email or a phone number, merged a group at a time or all at once. */
export default function Duplicates() {
  const { api } = useSession()
  const [channel, setChannel] = useState<Channel>('email')
  const [counts, setCounts] = useState<Record<Channel, number>>()
  const [groups, setGroups] = useState<Group[]>()
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string>()
  const [notice, setNotice] = useState<{ message: string; failed?: boolean }>()
  const [busy, setBusy] = useState(false)

  const load = async (more: boolean) => {
    setError(undefined)
    setBusy(true)
    try {
      const query = new URLSearchParams({ channel, limit: '25' })
      if (more && cursor) query.set('cursor', cursor)
      const page = await api.get<DuplicatesPage>(`/api/duplicates?${query}`)
      setCounts(page.counts)
      setGroups(more ? [...(groups ?? []), ...page.groups] : page.groups)
      setCursor(page.nextCursor)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  useEffect(() => {
    setGroups(undefined)
    void load(false)
  }, [channel])

  const merge = async (group: Group, keep: 'earlier' | 'later') => {
    try {
      const kept = await api.request<Contact>('POST', '/api/duplicates/merge', {
        contactIds: group.members.map((m) => m.id),
        keep,
      })
      setNotice({
        message: `Merged ${plural(group.members.length, 'contact')} into ${kept.email}; the others are in Deleted with reason “merged”.`,
      })
      await load(false)
    } catch (e) {
      setNotice({ message: (e as Error).message, failed: true })
    }
  }

  const [keep, setKeep] = useState<'earlier' | 'later'>('earlier')
  const mergeAll = async () => {
    const groupsNow = counts?.[channel] ?? 0
    const question = `Merge all ${plural(groupsNow, 'group')} of duplicates by ${channel}, keeping the ${keep === 'earlier' ? 'earliest' : 'latest'} record of each? The others go to Deleted with reason “merged”.`
    if (!confirm(question)) return
    setBusy(true)
    try {
      const done = await api.request<{ groups: number; contacts: number }>(
        'POST',
        '/api/duplicates/merge-all',
        {
          channel,
          keep,
        },
      )
      setNotice({
        message: `Merged ${plural(done.groups, 'group')}: ${plural(done.contacts, 'contact')} went to Deleted with reason “merged”.`,
      })
      await load(false)
    } catch (e) {
      setNotice({ message: (e as Error).message, failed: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="duplicates-title">
      <h1 id="duplicates-title">Duplicates</h1>
      <p class="muted">
        Contacts whose email is the same once written canonically (max.muster+news@googlemail.com ≈
        maxmuster@gmail.com), or who share a phone number. Merging keeps one record and carries over labels,
        fields, group memberships and statistics.
      </p>
      <div class="tabs" role="tablist" aria-label="Channel">
        {(['email', 'phone'] as const).map((c) => (
          <button
            key={c}
            type="button"
            role="tab"
            class="button"
            aria-selected={channel === c}
            onClick={() => setChannel(c)}
          >
            {c === 'email' ? 'Same email' : 'Same phone'}
            {counts && ` (${counts[c]})`}
          </button>
        ))}
        {groups && groups.length > 0 && (
          <button
            type="button"
            class="button button-quiet"
            onClick={() =>
              exportCsv(
                api,
                '/api/duplicates/export.csv',
                { channel },
                undefined,
                `signet-duplicates-${channel}.csv`,
              ).catch((e) => setNotice({ message: (e as Error).message, failed: true }))
            }
          >
            Export CSV
          </button>
        )}
      </div>
      {groups && groups.length > 0 && (
        <p class="builder-row">
          <label>
            Keep the record created{' '}
            <select value={keep} onChange={(e) => setKeep(e.currentTarget.value as 'earlier' | 'later')}>
              <option value="earlier">earliest</option>
              <option value="later">latest</option>
            </select>
          </label>
          <button type="button" class="button button-danger" disabled={busy} onClick={mergeAll}>
            Remove all duplicates
          </button>
        </p>
      )}
      {notice && <Notice kind={notice.failed ? 'error' : 'success'}>{notice.message}</Notice>}
      {error && <ErrorState message={error} onRetry={() => load(false)} />}
      {!groups ? (
        !error && <Loading />
      ) : groups.length === 0 ? (
        <Empty title={`No duplicates by ${channel}.`}>
          <p>Nothing to merge. Duplicates show up here after imports or when contacts are added by hand.</p>
        </Empty>
      ) : (
        groups.map((g) => (
          <section class="card" key={g.key} aria-label={`Duplicates of ${g.key}`} data-duplicates={g.key}>
            <h2>
              {g.key} <span class="muted">· {plural(g.count, 'contact')}</span>
            </h2>
            <table class="table">
              <caption class="visually-hidden">Contacts sharing {g.key}</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Name</th>
                  <th scope="col">Phone</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {[...g.members]
                  .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
                  .map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link href={`/contacts/${m.id}`}>{m.email}</Link>
                      </td>
                      <td>{displayName(m) || '—'}</td>
                      <td>{m.phone ?? '—'}</td>
                      <td>
                        <StatusBadge contact={m} />
                      </td>
                      <td>{date(m.createdAt)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
            <p class="builder-row">
              <button type="button" class="button" onClick={() => merge(g, 'earlier')}>
                Merge, keep the earliest
              </button>
              <button type="button" class="button" onClick={() => merge(g, 'later')}>
                Merge, keep the latest
              </button>
            </p>
          </section>
        ))
      )}
      {cursor && groups && (
        <p class="more">
          <button type="button" class="button" disabled={busy} onClick={() => load(true)}>
            Load more
          </button>
        </p>
      )}
    </section>
  )
}

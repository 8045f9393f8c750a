import type { Account } from '@signet/shared/accounts'
import type { Contact } from '@signet/shared/contacts'
import type { TargetGroup } from '@signet/shared/target-groups'
import { useEffect, useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'
import type { Page } from '../../ui/sources.ts'

/** Finds existing accounts or contacts by search and adds one with a click. */
export function AddBySearch(props: { group: TargetGroup; onAdded: (message: string) => Promise<void> }) {
  const { api } = useSession()
  const [q, setQ] = useState('')
  const [found, setFound] = useState<(Account | Contact)[]>([])
  const [error, setError] = useState<string>()
  const path = props.group.kind === 'contact' ? '/api/contacts' : '/api/accounts'
  useEffect(() => {
    if (!q.trim()) return setFound([])
    const timer = setTimeout(() => {
      api.get<Page<Account | Contact>>(`${path}?limit=8&q=${encodeURIComponent(q.trim())}`).then(
        (page) => setFound(page.items),
        (e) => setError((e as Error).message),
      )
    }, 250)
    return () => clearTimeout(timer)
  }, [q])
  const name = (t: Account | Contact) => ('email' in t ? t.email : t.domainDisplay)
  return (
    <div class="field">
      <label for="add-search">Add by search</label>
      <input
        id="add-search"
        type="search"
        value={q}
        placeholder={props.group.kind === 'contact' ? 'Email or name' : 'Domain or company'}
        onInput={(e) => setQ(e.currentTarget.value)}
        // Enter searches; it must not submit the paste form this field sits in.
        onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}
      />
      {error && <p class="field-error">{error}</p>}
      {found.length > 0 && (
        <ul aria-label="Search results">
          {found.map((t) => (
            <li key={t.id}>
              {name(t)}{' '}
              <button
                type="button"
                class="button button-quiet"
                aria-label={`Add ${name(t)}`}
                onClick={async () => {
                  try {
                    await api.request('POST', `/api/target-groups/${props.group.id}/members/add`, {
                      ids: [t.id],
                    })
                    setQ('')
                    await props.onAdded(`Added ${name(t)}.`)
                  } catch (e) {
                    setError((e as Error).message)
                  }
                }}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

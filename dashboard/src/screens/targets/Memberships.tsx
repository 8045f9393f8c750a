import type { TargetGroup } from '@signet/shared/target-groups'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'

/** The target groups, static and dynamic, one account or contact is in now. */
export function Memberships(props: { param: 'accountId' | 'contactId'; id: string; reloadKey?: unknown }) {
  const { api } = useSession()
  const groups = useLoad(
    () => api.get<TargetGroup[]>(`/api/target-groups?${props.param}=${props.id}`),
    [api, props.id, props.reloadKey],
  )
  return (
    <section class="card" aria-labelledby="memberships-title">
      <h2 id="memberships-title">Target groups</h2>
      {groups.error ? (
        <ErrorState message={groups.error} onRetry={groups.reload} />
      ) : !groups.data ? (
        <Loading />
      ) : groups.data.length === 0 ? (
        <p class="muted">
          In no target group. Add it to one from the list (tick it, then “Add to group”) or from a{' '}
          <Link href="/groups">group’s page</Link>.
        </p>
      ) : (
        <ul>
          {groups.data.map((g) => (
            <li key={g.id}>
              <Link href={`/groups/${g.id}`}>{g.name}</Link>{' '}
              <span class="muted">{g.segmentId ? '(dynamic)' : '(static)'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

import { splitRoute, useRoute } from '../router.tsx'
import { GroupDetail } from './groups/GroupDetail.tsx'
import { GroupList } from './groups/GroupList.tsx'

/** `/groups` lists target groups, `/groups/:id` is one group with its members. */
export default function Groups() {
  const id = splitRoute(useRoute()).path.split('/')[2]
  return id ? <GroupDetail id={id} /> : <GroupList />
}

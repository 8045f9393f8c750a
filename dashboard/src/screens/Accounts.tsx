import { splitRoute, useRoute } from '../router.tsx'
import { AccountDetail } from './accounts/AccountDetail.tsx'
import { AccountList } from './accounts/AccountList.tsx'

/** `/accounts` lists them, `/accounts/:id` is one account. */
export default function Accounts() {
  const id = splitRoute(useRoute()).path.split('/')[2]
  return id ? <AccountDetail id={id} /> : <AccountList />
}

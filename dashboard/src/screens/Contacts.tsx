import { splitRoute, useRoute } from '../router.tsx'
import { ContactDetail } from './contacts/ContactDetail.tsx'
import { ContactList } from './contacts/ContactList.tsx'

/** `/contacts` lists them, `/contacts/:id` is one contact. */
export default function Contacts() {
  const id = splitRoute(useRoute()).path.split('/')[2]
  return id ? <ContactDetail id={id} /> : <ContactList />
}

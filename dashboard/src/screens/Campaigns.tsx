import { useRoute } from '../router.tsx'
import { CampaignList } from './campaigns/CampaignList.tsx'
import { EditCampaign } from './campaigns/EditCampaign.tsx'
import { NewCampaign } from './campaigns/NewCampaign.tsx'

/** `/campaigns`, `/campaigns/new` and `/campaigns/:id`. */
export default function Campaigns() {
  const [path, query = ''] = useRoute().split('?')
  const id = path!.split('/')[2]
  if (!id) return <CampaignList />
  if (id === 'new') return <NewCampaign />
  return <EditCampaign id={id} created={new URLSearchParams(query).has('created')} />
}

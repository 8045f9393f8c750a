import type { Db } from '../../api/src/db/index.ts'
import type { CampaignId } from '../../api/src/db/schema.ts'

/** What the end-to-end tests read back from the database to see what the API recorded. */

export function deliveriesOf(db: Db, campaignId: string) {
  return db
    .selectFrom('delivery')
    .select(['id', 'sent_at'])
    .where('campaign_id', '=', campaignId as CampaignId)
    .orderBy('created_at', 'desc')
    .execute()
}

export function clicksOf(db: Db, campaignId: string) {
  return db
    .selectFrom('tracking_event')
    .select(['delivery_id', 'human', 'machine_reason'])
    .where('campaign_id', '=', campaignId as CampaignId)
    .where('kind', '=', 'click')
    .execute()
}

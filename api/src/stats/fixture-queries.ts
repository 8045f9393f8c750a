import type { Db } from '../db/index.ts'
import type {
  AccountId,
  CampaignId,
  ContactId,
  DeliveryId,
  UserId,
  VariantId,
  WorkspaceId,
} from '../db/schema.ts'
import { insertCampaignFixture } from '../tracking/fixture-queries.ts'

/** A hand-built world for statistics tests, written straight into the tables. */
export function statsFixtures(db: Db, workspaceId: WorkspaceId) {
  return {
    async campaign(name: string) {
      const c = await insertCampaignFixture(db, workspaceId)
      await db.updateTable('campaign').set({ name }).where('id', '=', c.campaignId).execute()
      return c
    },
    /** Another variant of a campaign, with the first one's banner. */
    async variant(campaign: { campaignId: CampaignId; variantId: VariantId }, name: string) {
      const first = await db
        .selectFrom('campaign_variant')
        .select('image_id')
        .where('id', '=', campaign.variantId)
        .executeTakeFirstOrThrow()
      const row = await db
        .insertInto('campaign_variant')
        .values({
          workspace_id: workspaceId,
          campaign_id: campaign.campaignId,
          name,
          image_id: first.image_id,
          alt_text: name,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return { campaignId: campaign.campaignId, variantId: row.id }
    },
    async account(domain: string, name = '') {
      const row = await db
        .insertInto('account')
        .values({ workspace_id: workspaceId, domain, name })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id as AccountId
    },
    async contact(email: string, accountId: AccountId | null = null) {
      const row = await db
        .insertInto('contact')
        .values({
          workspace_id: workspaceId,
          email,
          domain: email.split('@')[1]!,
          account_id: accountId,
          consent_given_at: new Date(),
          consent_method: 'form',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id as ContactId
    },
    async group(name: string, accounts: AccountId[]) {
      const row = await db
        .insertInto('target_group')
        .values({ workspace_id: workspaceId, name, kind: 'account' })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const id of accounts)
        await db.insertInto('target_group_account').values({ group_id: row.id, account_id: id }).execute()
      return row.id
    },
    async delivery(
      campaign: { campaignId: CampaignId; variantId: VariantId },
      employeeId: UserId,
      to: { accounts?: AccountId[]; contacts?: ContactId[]; leadDomains?: string[]; leadEmails?: string[] },
    ) {
      const row = await db
        .insertInto('delivery')
        .values({
          workspace_id: workspaceId,
          campaign_id: campaign.campaignId,
          variant_id: campaign.variantId,
          employee_id: employeeId,
          account_ids: to.accounts ?? [],
          contact_ids: to.contacts ?? [],
          lead_domains: to.leadDomains ?? [],
          lead_emails: to.leadEmails ?? [],
        })
        .returning(['id', 'campaign_id', 'variant_id', 'employee_id'])
        .executeTakeFirstOrThrow()
      return row
    },
    /** One event of a delivery at a given instant; a machine event when `reason` is given. */
    async event(
      delivery: {
        id: DeliveryId
        campaign_id: CampaignId
        variant_id: VariantId
        employee_id: UserId | null
      },
      kind: 'sent' | 'view' | 'click',
      at: string,
      reason?: string,
    ) {
      const row = await db
        .insertInto('tracking_event')
        .values({
          workspace_id: workspaceId,
          delivery_id: delivery.id,
          campaign_id: delivery.campaign_id,
          variant_id: delivery.variant_id,
          employee_id: delivery.employee_id,
          kind,
          occurred_at: at,
          human: !reason,
          machine_reason: reason ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    async contactGroup(name: string, contacts: ContactId[]) {
      const row = await db
        .insertInto('target_group')
        .values({ workspace_id: workspaceId, name, kind: 'contact' })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const id of contacts)
        await db.insertInto('target_group_contact').values({ group_id: row.id, contact_id: id }).execute()
      return row.id
    },
    async addToGroup(groupId: string, accountId: AccountId) {
      await db
        .insertInto('target_group_account')
        .values({ group_id: groupId as never, account_id: accountId })
        .execute()
    },
    /** `n` new contacts, each sent one banner of the campaign at `at`, in three statements. */
    async crowd(campaign: { campaignId: CampaignId; variantId: VariantId }, n: number, at: string) {
      const contacts = await db
        .insertInto('contact')
        .values(
          Array.from({ length: n }, (_, i) => ({
            workspace_id: workspaceId,
            email: `crowd${i}.${Date.parse(at)}@crowd.example`,
            domain: 'crowd.example',
          })),
        )
        .returning('id')
        .execute()
      const deliveries = await db
        .insertInto('delivery')
        .values(
          contacts.map((c) => ({
            workspace_id: workspaceId,
            campaign_id: campaign.campaignId,
            variant_id: campaign.variantId,
            contact_ids: [c.id],
          })),
        )
        .returning('id')
        .execute()
      await db
        .insertInto('tracking_event')
        .values(
          deliveries.map((d) => ({
            workspace_id: workspaceId,
            delivery_id: d.id,
            campaign_id: campaign.campaignId,
            variant_id: campaign.variantId,
            kind: 'sent' as const,
            occurred_at: at,
            human: true,
          })),
        )
        .execute()
    },
    /** How many reach sets of the workspace are stored as bitmaps rather than arrays. */
    async countBitmapSets() {
      const row = await db
        .selectFrom('stats_reach')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('bits', 'is not', null)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    /** Rollup and reach rows a target group has of its own. */
    async countGroupRows(groupId: string) {
      const [rollups, sets] = await Promise.all(
        (['stats_rollup', 'stats_reach'] as const).map((table) =>
          db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('workspace_id', '=', workspaceId)
            .where('dim', '=', 'target_group')
            .where('dim_id', '=', groupId)
            .executeTakeFirstOrThrow(),
        ),
      )
      return Number(rollups!.n) + Number(sets!.n)
    },
    /** Every rollup row of the workspace, in key order. */
    async rollupRows() {
      return db
        .selectFrom('stats_rollup')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy(['dim', 'dim_id', 'sub_id', 'grain', 'bucket'])
        .execute()
    },
    async removeFromGroup(groupId: string, accountId: AccountId) {
      await db
        .deleteFrom('target_group_account')
        .where('group_id', '=', groupId as never)
        .where('account_id', '=', accountId)
        .execute()
    },
    async setTier(tier: 'off' | 'aggregate' | 'identified') {
      await db.updateTable('workspace').set({ tracking_tier: tier }).where('id', '=', workspaceId).execute()
    },
  }
}

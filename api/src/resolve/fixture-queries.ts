import { expect } from 'vitest'
import type { TestContext, TestWorkspace } from '../../test/helpers.ts'
import { pngImage } from '../campaigns/test-images.ts'
import type { AccountId, ContactId, TargetGroupId, WorkspaceId } from '../db/schema.ts'

/** Builds targets straight in the tables (the targets API is another module) and campaigns through the API. */
export function fixtures(t: TestContext, w: TestWorkspace) {
  const db = t.db
  const workspaceId = w.id as WorkspaceId
  return {
    async account(domain: string, aliases: string[] = []) {
      const row = await db
        .insertInto('account')
        .values({ workspace_id: workspaceId, domain })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const alias of aliases)
        await db
          .insertInto('account_alias')
          .values({ workspace_id: workspaceId, account_id: row.id, domain: alias })
          .execute()
      return row.id as AccountId
    },
    async contact(
      email: string,
      extra: {
        status?: 'active' | 'blacklisted' | 'unsubscribed'
        optOut?: boolean
        consent?: boolean
        deleted?: boolean
        accountId?: AccountId
      } = {},
    ) {
      const row = await db
        .insertInto('contact')
        .values({
          workspace_id: workspaceId,
          email,
          domain: email.split('@')[1]!,
          account_id: extra.accountId ?? null,
          status: extra.status ?? 'active',
          tracking_opt_out_at: extra.optOut ? new Date() : null,
          consent_given_at: extra.consent ? new Date() : null,
          consent_method: extra.consent ? 'form' : null,
          deleted_at: extra.deleted ? new Date() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id as ContactId
    },
    async group(name: string, members: { accounts?: AccountId[]; contacts?: ContactId[] }) {
      const kind = members.contacts ? 'contact' : 'account'
      const row = await db
        .insertInto('target_group')
        .values({ workspace_id: workspaceId, name, kind })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const id of members.accounts ?? [])
        await db.insertInto('target_group_account').values({ group_id: row.id, account_id: id }).execute()
      for (const id of members.contacts ?? [])
        await db.insertInto('target_group_contact').values({ group_id: row.id, contact_id: id }).execute()
      return row.id as TargetGroupId
    },
    /** A published campaign with one image per variant; `state` pauses, schedules, ends or keeps it a draft. */
    async campaign(
      name: string,
      options: {
        groups?: TargetGroupId[]
        departments?: string[]
        priority?: number
        startsAt?: string
        state?: 'active' | 'paused' | 'scheduled' | 'ended' | 'draft'
        variants?: number
      } = {},
    ) {
      const token = w.marketer.token
      const receiver = options.groups !== undefined
      const state = options.state ?? 'active'
      const created = await t.request('POST', '/api/campaigns', {
        token,
        json: {
          name,
          kind: receiver ? 'receiver' : 'sender',
          senderScope: options.departments ? 'departments' : 'all',
          targetGroupIds: options.groups ?? [],
          departmentIds: options.departments ?? [],
          destinationUrl: `https://example.com/${encodeURIComponent(name)}`,
          utm: { source: 'signet' },
          altText: `${name} banner`,
          priority: options.priority ?? 0,
          startsAt:
            state === 'scheduled'
              ? '2099-01-01T00:00:00Z'
              : state === 'ended'
                ? '2020-01-01T00:00:00Z'
                : (options.startsAt ?? '2026-01-01T00:00:00Z'),
          endsAt: state === 'ended' ? '2020-02-01T00:00:00Z' : null,
        },
      })
      expect(created.status).toBe(201)
      const id = created.body.id as string
      for (let i = 1; i < (options.variants ?? 1); i++) {
        await t.request('POST', `/api/campaigns/${id}/variants`, {
          token,
          json: { name: String.fromCharCode(65 + i), altText: `${name} ${i}` },
        })
      }
      const full = await t.request('GET', `/api/campaigns/${id}`, { token })
      for (const [i, v] of full.body.variants.entries()) {
        const res = await t.request('PUT', `/api/campaigns/${id}/variants/${v.id}/image`, {
          token,
          body: new Uint8Array(pngImage(600, 100, name.length * 7 + i)),
          headers: { 'content-type': 'image/png' },
        })
        expect(res.status).toBe(200)
      }
      if (state !== 'draft')
        await t.request('PATCH', `/api/campaigns/${id}`, { token, json: { draft: false } })
      if (state === 'paused') await t.request('POST', `/api/campaigns/${id}/pause`, { token })
      return id
    },
  }
}

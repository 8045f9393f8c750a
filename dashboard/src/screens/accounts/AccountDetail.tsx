import { type Account, AddAliasSchema, UpdateAccountSchema } from '@signet/shared/accounts'
import type { Contact } from '@signet/shared/contacts'
import { useMemo, useState } from 'preact/hooks'
import { Link, navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { confirmDeletion } from '../../ui/confirm.ts'
import { DataTable } from '../../ui/DataTable.tsx'
import { FormError, SubmitButton, TextAreaField, TextField, useForm } from '../../ui/form.tsx'
import { endpointSource } from '../../ui/sources.ts'
import { Empty, ErrorState, Loading, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { StatusBadge } from '../contacts/actions.tsx'
import { displayName } from '../contacts/ContactList.tsx'
import { CustomFields } from '../targets/CustomFields.tsx'
import { dateTime, exportCsv } from '../targets/common.tsx'
import { Memberships } from '../targets/Memberships.tsx'

const toValues = (a: Account) => ({
  domain: a.domainDisplay,
  name: a.name,
  industry: a.industry ?? '',
  size: a.size ?? '',
  contactPerson: a.contactPerson ?? '',
  website: a.website ?? '',
  notes: a.notes ?? '',
})

export function AccountDetail(props: { id: string }) {
  const { api } = useSession()
  const account = useLoad(() => api.get<Account>(`/api/accounts/${props.id}`), [api, props.id])
  if (account.error) return <ErrorState message={account.error} onRetry={account.reload} />
  if (!account.data) return <Loading label="Loading the account…" />
  return <AccountPage key={account.data.id} account={account.data} onChange={account.setData} />
}

function AccountPage(props: { account: Account; onChange: (a: Account) => void }) {
  const { api } = useSession()
  const { account } = props
  const [notice, setNotice] = useState<{ message: string; failed?: boolean }>()
  const form = useForm({
    id: 'account',
    initial: toValues(account),
    schema: UpdateAccountSchema,
    toInput: ({ domain, name, ...rest }) => ({
      domain,
      name,
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.trim() === '' ? null : v])),
    }),
    submit: async (_, input) => {
      const updated = await api.request<Account>('PATCH', `/api/accounts/${account.id}`, input)
      props.onChange(updated)
      form.reset(toValues(updated))
      setNotice({ message: 'Account saved.' })
    },
  })
  const alias = useForm({
    id: 'alias',
    initial: { domain: '' },
    schema: AddAliasSchema,
    submit: async (_, input) => {
      props.onChange(await api.request<Account>('POST', `/api/accounts/${account.id}/aliases`, input))
      alias.reset({ domain: '' })
    },
  })
  const contacts = useMemo(
    () => endpointSource<Contact>(api, '/api/contacts', { accountId: account.id }),
    [api, account.id],
  )

  return (
    <section aria-labelledby="account-title">
      <p>
        <Link href="/accounts">← Accounts</Link>
      </p>
      <h1 id="account-title">
        {account.name || account.domainDisplay} <span class="muted">{account.domainDisplay}</span>
      </h1>
      <div class="builder-row">
        <Link href={`/statistics/account/${account.id}`} class="button">
          Statistics, last clicks and campaigns
        </Link>
        <button
          type="button"
          class="button button-danger"
          onClick={async () => {
            const reason = confirmDeletion(
              `Delete ${account.domainDisplay}? You can restore it from Deleted.`,
            )
            if (reason === null) return
            try {
              await api.request('DELETE', `/api/accounts/${account.id}?reason=${encodeURIComponent(reason)}`)
              navigate('/accounts')
            } catch (e) {
              setNotice({ message: (e as Error).message, failed: true })
            }
          }}
        >
          Delete account
        </button>
        <span class="muted">
          Created {dateTime(account.createdAt)} · updated {dateTime(account.updatedAt)}
        </span>
      </div>
      {notice && <Notice kind={notice.failed ? 'error' : 'success'}>{notice.message}</Notice>}
      <div class="columns">
        <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="account-details-title">
          <h2 id="account-details-title">Details</h2>
          <TextField form={form} name="domain" label="Domain" />
          <TextField form={form} name="name" label="Company name" />
          <TextField form={form} name="industry" label="Industry" />
          <TextField form={form} name="size" label="Size" />
          <TextField form={form} name="contactPerson" label="Contact person" />
          <TextField form={form} name="website" label="Website" />
          <TextAreaField form={form} name="notes" label="Notes" rows={3} />
          <FormError form={form} />
          <SubmitButton form={form}>Save account</SubmitButton>
        </form>
        <div>
          <form class="card" onSubmit={alias.onSubmit} noValidate aria-labelledby="aliases-title">
            <h2 id="aliases-title">Other domains</h2>
            {account.aliases.length === 0 ? (
              <p class="muted">None. Add the company’s other domains so their contacts count for it too.</p>
            ) : (
              <ul>
                {account.aliases.map((a) => (
                  <li key={a.domain}>
                    {a.domainDisplay}{' '}
                    <button
                      type="button"
                      class="button button-quiet"
                      aria-label={`Remove ${a.domainDisplay}`}
                      onClick={async () => {
                        try {
                          props.onChange(
                            await api.request<Account>(
                              'DELETE',
                              `/api/accounts/${account.id}/aliases/${encodeURIComponent(a.domain)}`,
                            ),
                          )
                        } catch (e) {
                          setNotice({ message: (e as Error).message, failed: true })
                        }
                      }}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <TextField form={alias} name="domain" label="Add a domain" placeholder="acme.de" />
            <FormError form={alias} />
            <SubmitButton form={alias}>Add domain</SubmitButton>
          </form>
          <CustomFields
            id="account-custom"
            fields={account.customFields}
            save={async (customFields) => {
              const updated = await api.request<Account>('PATCH', `/api/accounts/${account.id}`, {
                customFields,
              })
              props.onChange(updated)
              return updated.customFields
            }}
          />
          <Memberships param="accountId" id={account.id} />
        </div>
      </div>
      <section aria-labelledby="account-contacts-title">
        <h2 id="account-contacts-title">Contacts of this account</h2>
        <DataTable
          id="account-contacts"
          label="Contacts of this account"
          source={contacts}
          columns={[
            {
              label: 'Email',
              render: (c) => <Link href={`/contacts/${c.id}`}>{c.email}</Link>,
            },
            { label: 'Name', sort: 'name', render: (c) => displayName(c) || '—' },
            { label: 'Status', render: (c) => <StatusBadge contact={c} /> },
          ]}
          rowKey={(c) => c.id}
          defaultSort={{ sort: 'name', order: 'asc' }}
          pageSize={25}
          onExport={(request) =>
            exportCsv(
              api,
              '/api/contacts/export.csv',
              { accountId: account.id },
              request,
              'signet-account-contacts.csv',
            )
          }
          empty={() => (
            <Empty title="No contacts at this domain yet.">
              <p>Contacts with an address at {account.domainDisplay} are linked here automatically.</p>
            </Empty>
          )}
        />
      </section>
    </section>
  )
}

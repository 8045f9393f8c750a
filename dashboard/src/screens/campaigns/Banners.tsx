import {
  type Campaign,
  CreateVariantSchema,
  UpdateVariantSchema,
  type VariantSchema,
} from '@signet/shared/campaigns'
import { useEffect, useState } from 'preact/hooks'
import type { z } from 'zod'
import { ApiRequestError } from '../../api.ts'
import { useSession } from '../../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { bannerUrl } from './shared.tsx'

type Variant = z.infer<typeof VariantSchema>

const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp'

function size(bytes: number) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`
}

/** The banner variants (A/B) of a campaign: image upload with preview, alt text, weight. */
export function Banners(props: { campaign: Campaign; onChange: (campaign: Campaign) => void }) {
  const { campaign } = props
  const total = campaign.variants.reduce((sum, v) => sum + v.weight, 0)
  return (
    <section class="card" aria-labelledby="banners-title">
      <h2 id="banners-title">Banners</h2>
      <p class="muted">
        PNG, JPEG, GIF or WebP, at most 2 MB and 4000 pixels; shown at most 600 pixels wide. With several
        variants each recipient always sees the same one, chosen by weight.
      </p>
      <div class="variants">
        {campaign.variants.map((v) => (
          <VariantCard
            key={v.id}
            campaign={campaign}
            variant={v}
            share={total ? Math.round((v.weight / total) * 100) : 0}
            onChange={props.onChange}
          />
        ))}
      </div>
      {campaign.variants.length < 10 && <AddVariant campaign={campaign} onChange={props.onChange} />}
    </section>
  )
}

function VariantCard(props: {
  campaign: Campaign
  variant: Variant
  share: number
  onChange: (campaign: Campaign) => void
}) {
  const { api } = useSession()
  const { campaign, variant } = props
  const [local, setLocal] = useState<string>()
  const [uploading, setUploading] = useState(false)
  const [uploadError, setUploadError] = useState<string>()
  const [actionError, setActionError] = useState<string>()
  const path = `/api/campaigns/${campaign.id}/variants/${variant.id}`
  const inputId = `banner-file-${variant.id}`

  useEffect(() => () => local && URL.revokeObjectURL(local), [local])

  const upload = async (file: File) => {
    setUploadError(undefined)
    setLocal(URL.createObjectURL(file))
    setUploading(true)
    try {
      props.onChange(await api.request<Campaign>('PUT', `${path}/image`, file))
      setLocal(undefined)
    } catch (error) {
      // The refused file is not the banner: show the stored one (or none) again.
      setLocal(undefined)
      setUploadError((error as Error).message)
    } finally {
      setUploading(false)
    }
  }

  const values = () => ({ name: variant.name, altText: variant.altText, weight: String(variant.weight) })
  const form = useForm({
    id: `variant-${variant.id}`,
    initial: values(),
    schema: UpdateVariantSchema,
    toInput: (v) => ({ ...v, weight: /^\d+$/.test(v.weight) ? Number(v.weight) : v.weight }),
    submit: async (input) => props.onChange(await api.request<Campaign>('PATCH', path, input)),
  })
  useEffect(() => form.reset(values()), [variant.name, variant.altText, variant.weight])

  const remove = async () => {
    setActionError(undefined)
    if (!confirm(`Delete banner variant ${variant.name}?`)) return
    try {
      props.onChange(await api.request<Campaign>('DELETE', path))
    } catch (error) {
      setActionError(error instanceof ApiRequestError ? error.message : String(error))
    }
  }

  const stored = variant.image && bannerUrl(api, variant.id, variant.image.version)
  const preview = local ?? stored
  return (
    <article class="variant" aria-label={`Variant ${variant.name}`} data-variant={variant.name}>
      <h3>
        Variant {variant.name} <span class="muted">· {props.share}% of recipients</span>
      </h3>
      <div class="banner-preview">
        {preview ? <img src={preview} alt={variant.altText} /> : <p class="muted">No banner yet.</p>}
      </div>
      {variant.image && !local && (
        <p class="muted">
          {variant.image.contentType.replace('image/', '').toUpperCase()} · {variant.image.width}×
          {variant.image.height} px · {size(variant.image.byteSize)}
        </p>
      )}
      <div class={`field${uploadError ? ' field-invalid' : ''}`}>
        <label for={inputId}>{variant.image ? 'Replace banner image' : 'Banner image'}</label>
        <input
          id={inputId}
          type="file"
          accept={ACCEPT}
          disabled={uploading}
          aria-invalid={uploadError ? true : undefined}
          aria-describedby={uploadError ? `${inputId}-error` : undefined}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0]
            e.currentTarget.value = ''
            if (file) void upload(file)
          }}
        />
        {uploading && (
          <p class="field-hint" role="status">
            Uploading…
          </p>
        )}
        {uploadError && (
          <p class="field-error" id={`${inputId}-error`} data-field="image" role="alert">
            {uploadError}
          </p>
        )}
      </div>
      <form onSubmit={form.onSubmit} noValidate>
        <div class="grid">
          <TextField form={form} name="name" label="Variant name" />
          <TextField form={form} name="weight" label="Weight" type="number" hint="0 stops showing it." />
        </div>
        <TextField form={form} name="altText" label="Alt text" />
        <FormError form={form} />
        <div class="row">
          <SubmitButton form={form}>Save variant {variant.name}</SubmitButton>
          {campaign.variants.length > 1 && (
            <button type="button" class="button button-danger" onClick={remove}>
              Delete variant {variant.name}
            </button>
          )}
        </div>
        {actionError && (
          <p class="form-error" role="alert">
            {actionError}
          </p>
        )}
      </form>
    </article>
  )
}

function AddVariant(props: { campaign: Campaign; onChange: (campaign: Campaign) => void }) {
  const { api } = useSession()
  const next = String.fromCharCode(65 + props.campaign.variants.length)
  const blank = { name: next, altText: '', weight: '1' }
  const form = useForm({
    id: 'new-variant',
    initial: blank,
    schema: CreateVariantSchema,
    toInput: (v) => ({ ...v, weight: /^\d+$/.test(v.weight) ? Number(v.weight) : v.weight }),
    submit: async (input) => {
      const updated = await api.request<Campaign>(
        'POST',
        `/api/campaigns/${props.campaign.id}/variants`,
        input,
      )
      form.reset({ ...blank, name: String.fromCharCode(65 + updated.variants.length) })
      props.onChange(updated)
    },
  })
  return (
    <details class="add-variant">
      <summary>Add a variant for an A/B test</summary>
      <form onSubmit={form.onSubmit} noValidate>
        <div class="grid">
          <TextField form={form} name="name" label="Variant name" />
          <TextField form={form} name="altText" label="Alt text" />
          <TextField form={form} name="weight" label="Weight" type="number" />
        </div>
        <FormError form={form} />
        <SubmitButton form={form}>Add variant</SubmitButton>
      </form>
    </details>
  )
}

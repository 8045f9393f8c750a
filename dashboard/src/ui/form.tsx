import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import type { z } from 'zod'
import { ApiRequestError } from '../api.ts'

type Values = Record<string, string | boolean>

export interface Form<V extends Values> {
  id: string
  values: V
  errors: Partial<Record<keyof V & string, string>>
  formError: string | undefined
  busy: boolean
  set: <K extends keyof V & string>(name: K, value: V[K]) => void
  reset: (values: V) => void
  onSubmit: (event: Event) => Promise<void>
}

/**
 * Keeps a form's values, checks them with the SAME shared zod schema the API uses before sending,
 * and puts each error — the schema's or the API's `field` — next to its field. Array fields are
 * edited one item per line, so an error on `internalDomains.2` reads "Line 3: …".
 */
export function useForm<V extends Values, S extends z.ZodType>(options: {
  id: string
  initial: V
  schema: S
  toInput?: (values: V) => unknown
  /**
   * `output` is what the schema made of the values (normalised, defaults filled in); `input` is
   * what it was given. Send `input` when the schema transforms values into another shape (an
   * email into `{ address, name }`): the API parses it with the same schema.
   */
  submit: (output: z.output<S>, input: z.input<S>) => Promise<void>
}): Form<V> {
  const [values, setValues] = useState(options.initial)
  const [errors, setErrors] = useState<Form<V>['errors']>({})
  const [formError, setFormError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const show = (field: string | undefined, message: string) => {
    // A nested field the form shows under its dotted name (`utm.source`) keeps it whole.
    const [name, index] = field && field in values ? [field] : (field ?? '').split('.')
    // A field the form does not show (or none at all): the message goes above the submit button.
    const input = name && name in values ? document.getElementById(`${options.id}-${name}`) : null
    if (name && input) {
      const text = index && /^\d+$/.test(index) ? `Line ${Number(index) + 1}: ${message}` : message
      setErrors({ [name]: text } as Form<V>['errors'])
      input.focus()
    } else setFormError(message)
  }

  return {
    id: options.id,
    values,
    errors,
    formError,
    busy,
    set: (name, value) => {
      setValues((v) => ({ ...v, [name]: value }))
      setErrors((e) => ({ ...e, [name]: undefined }))
    },
    reset: (next) => {
      setValues(next)
      setErrors({})
      setFormError(undefined)
    },
    async onSubmit(event) {
      event.preventDefault()
      if (busy) return
      setErrors({})
      setFormError(undefined)
      const input = options.toInput ? options.toInput(values) : values
      const parsed = options.schema.safeParse(input)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        return show(issue.path.map(String).join('.'), issue.message)
      }
      setBusy(true)
      try {
        await options.submit(parsed.data, input as z.input<S>)
      } catch (error) {
        if (error instanceof ApiRequestError) show(error.field, error.message)
        else setFormError((error as Error).message)
      } finally {
        setBusy(false)
      }
    },
  }
}

interface FieldProps<V extends Values> {
  form: Form<V>
  name: keyof V & string
  label: string
  hint?: string
}

function FieldFrame<V extends Values>(props: FieldProps<V> & { children: ComponentChildren }) {
  const { form, name } = props
  const error = form.errors[name]
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={`${form.id}-${name}`}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p class="field-hint" id={`${form.id}-${name}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${form.id}-${name}-error`} data-field={name}>
          {error}
        </p>
      )}
    </div>
  )
}

function aria<V extends Values>(form: Form<V>, name: keyof V & string, hint?: string) {
  const ids = [hint && `${form.id}-${name}-hint`, form.errors[name] && `${form.id}-${name}-error`]
  return {
    id: `${form.id}-${name}`,
    name,
    'aria-invalid': form.errors[name] ? true : undefined,
    'aria-describedby': ids.filter(Boolean).join(' ') || undefined,
  }
}

export function TextField<V extends Values>(
  props: FieldProps<V> & { type?: string; autocomplete?: string; placeholder?: string },
) {
  const { form, name } = props
  return (
    <FieldFrame {...props}>
      <input
        {...aria(form, name, props.hint)}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        placeholder={props.placeholder}
        value={form.values[name] as string}
        onInput={(e) => form.set(name, e.currentTarget.value as V[typeof name])}
      />
    </FieldFrame>
  )
}

export function TextAreaField<V extends Values>(
  props: FieldProps<V> & { rows?: number; placeholder?: string },
) {
  const { form, name } = props
  return (
    <FieldFrame {...props}>
      <textarea
        {...aria(form, name, props.hint)}
        rows={props.rows ?? 4}
        placeholder={props.placeholder}
        value={form.values[name] as string}
        onInput={(e) => form.set(name, e.currentTarget.value as V[typeof name])}
      />
    </FieldFrame>
  )
}

export function SelectField<V extends Values>(
  props: FieldProps<V> & { options: readonly { value: string; label: string }[] },
) {
  const { form, name } = props
  return (
    <FieldFrame {...props}>
      <select
        {...aria(form, name, props.hint)}
        value={form.values[name] as string}
        onChange={(e) => form.set(name, e.currentTarget.value as V[typeof name])}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  )
}

export function CheckboxField<V extends Values>(props: FieldProps<V>) {
  const { form, name } = props
  const error = form.errors[name]
  return (
    <div class={`field field-check${error ? ' field-invalid' : ''}`}>
      <label>
        <input
          {...aria(form, name, props.hint)}
          type="checkbox"
          checked={form.values[name] as boolean}
          onChange={(e) => form.set(name, e.currentTarget.checked as V[typeof name])}
        />{' '}
        {props.label}
      </label>
      {props.hint && (
        <p class="field-hint" id={`${form.id}-${name}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${form.id}-${name}-error`} data-field={name}>
          {error}
        </p>
      )}
    </div>
  )
}

export function FormError(props: { form: Form<any> }) {
  return props.form.formError ? (
    <p class="form-error" role="alert">
      {props.form.formError}
    </p>
  ) : null
}

export function SubmitButton(props: { form: Form<any>; children: ComponentChildren }) {
  const { form, children } = props
  return (
    <button type="submit" class="button button-primary" disabled={form.busy} aria-busy={form.busy}>
      {form.busy ? 'Working…' : children}
    </button>
  )
}

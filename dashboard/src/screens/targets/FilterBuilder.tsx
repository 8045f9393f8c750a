import { contactStatuses } from '@signet/shared/contacts'
import {
  accountFilterFields,
  type Condition,
  contactFilterFields,
  type FilterGroup,
  type TargetKind,
} from '@signet/shared/segments'
import type { TargetGroup } from '@signet/shared/target-groups'
import { ActivityFields, newActivityCondition } from './ActivityCondition.tsx'
import { statusNames } from './common.tsx'

/** An error of the filter, at the path of the condition it concerns (`conditions.0.value`). */
export interface FilterError {
  path: string
  message: string
}

export const emptyFilter = (): FilterGroup => ({ type: 'group', combinator: 'and', conditions: [] })

const fieldNames: Record<string, string> = {
  email: 'Email',
  domain: 'Domain',
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  company: 'Company',
  jobTitle: 'Job title',
  language: 'Language',
  timeZone: 'Time zone',
  address: 'Address',
  source: 'Source',
  createdAt: 'Created',
  updatedAt: 'Updated',
  consentGivenAt: 'Consent given',
  trackingOptOutAt: 'Opted out of tracking',
  name: 'Company name',
  size: 'Size',
  industry: 'Industry',
  contactPerson: 'Contact person',
  website: 'Website',
  notes: 'Notes',
}
const dateFields = new Set(['createdAt', 'updatedAt', 'consentGivenAt', 'trackingOptOutAt'])

const opNames: Record<string, string> = {
  equals: 'is',
  not_equals: 'is not',
  contains: 'contains',
  starts_with: 'starts with',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  greater_than: 'is greater than',
  less_than: 'is less than',
  before: 'is before',
  after: 'is after',
}
const textOps = [
  'contains',
  'equals',
  'not_equals',
  'starts_with',
  'is_empty',
  'is_not_empty',
  'greater_than',
  'less_than',
]
const dateOps = ['after', 'before', 'is_empty', 'is_not_empty']
const customOps = [...textOps, 'after', 'before']

/** What a condition is about, as one select value: `field:email`, `account_field:name`, `labels`… */
function subjectOf(c: Condition): string {
  if (c.type === 'field' || c.type === 'account_field') return `${c.type}:${c.field}`
  return c.type
}

function conditionFor(subject: string, groups: TargetGroup[]): Condition {
  const [type, field] = subject.split(':')
  switch (type) {
    case 'field':
    case 'account_field':
      return {
        type,
        field: field as never,
        op: (dateFields.has(field!) ? 'after' : 'contains') as never,
        value: '',
      }
    case 'custom_field':
    case 'account_custom_field':
      return { type, key: '', op: 'equals', value: '' }
    case 'labels':
      return { type, op: 'any', values: [] as unknown as [string] }
    case 'status':
      return { type, values: ['active'] }
    case 'activity':
      return newActivityCondition()
    default:
      return { type: 'target_group', op: 'in', groupId: groups[0]?.id ?? '' }
  }
}

function subjects(kind: TargetKind) {
  const own = (kind === 'contact' ? contactFilterFields : accountFilterFields).map((f) => ({
    value: `field:${f}`,
    label: fieldNames[f] ?? f,
  }))
  const list = [...own, { value: 'custom_field', label: 'Custom field…' }]
  if (kind === 'contact') {
    list.push(
      { value: 'labels', label: 'Labels' },
      { value: 'status', label: 'Status' },
      ...accountFilterFields.map((f) => ({
        value: `account_field:${f}`,
        label: `Account: ${fieldNames[f] ?? f}`,
      })),
      { value: 'account_custom_field', label: 'Account: custom field…' },
    )
  }
  list.push(
    { value: 'activity', label: 'Activity (viewed or clicked)' },
    { value: 'target_group', label: 'Target group' },
  )
  return list
}

interface Props {
  kind: TargetKind
  value: FilterGroup
  onChange: (value: FilterGroup) => void
  groups: TargetGroup[]
  error?: FilterError
  /** Where this group is in the tree, for ids, labels and errors; '' for the top. */
  path?: string
  onRemove?: () => void
}

/**
 * Builds a segment filter (`shared/src/segments.ts`): AND/OR groups of conditions, nested up to
 * the depth the API compiles. What it edits is the very JSON the lists take as `filter`.
 */
export function FilterBuilder(props: Props) {
  const { kind, value, groups } = props
  const path = props.path ?? ''
  const at = (i: number) => `${path}conditions.${i}`
  const setAt = (i: number, node: Condition | FilterGroup) =>
    props.onChange({ ...value, conditions: value.conditions.map((c, j) => (j === i ? node : c)) })
  const removeAt = (i: number) =>
    props.onChange({ ...value, conditions: value.conditions.filter((_, j) => j !== i) })
  const add = (node: Condition | FilterGroup) =>
    props.onChange({ ...value, conditions: [...value.conditions, node] })
  const own = groups.filter((g) => g.kind === kind)
  const depth = path.split('conditions').length - 1

  return (
    <fieldset class="builder-group">
      <legend class="visually-hidden">{path ? 'Condition group' : 'Filter'}</legend>
      <div class="builder-row">
        <label for={`filter-${path}combinator`}>Match</label>
        <select
          id={`filter-${path}combinator`}
          value={value.combinator}
          onChange={(e) => props.onChange({ ...value, combinator: e.currentTarget.value as 'and' | 'or' })}
        >
          <option value="and">all of these conditions</option>
          <option value="or">any of these conditions</option>
        </select>
        {props.onRemove && (
          <button type="button" class="button button-quiet" onClick={props.onRemove}>
            Remove group
          </button>
        )}
      </div>
      {value.conditions.length === 0 && (
        <p class="muted">No conditions yet: everything matches. Add a condition to narrow the list.</p>
      )}
      {value.conditions.map((node, i) =>
        node.type === 'group' ? (
          <FilterBuilder
            key={i}
            {...props}
            value={node}
            path={`${at(i)}.`}
            onChange={(next) => setAt(i, next)}
            onRemove={() => removeAt(i)}
          />
        ) : (
          <ConditionRow
            key={i}
            kind={kind}
            id={`filter-${at(i)}`}
            condition={node}
            groups={own}
            error={
              props.error && (props.error.path === at(i) || props.error.path.startsWith(`${at(i)}.`))
                ? props.error.message
                : undefined
            }
            onChange={(next) => setAt(i, next)}
            onRemove={() => removeAt(i)}
          />
        ),
      )}
      <div class="builder-row">
        <button
          type="button"
          class="button"
          onClick={() => add(conditionFor(kind === 'contact' ? 'field:email' : 'field:domain', own))}
        >
          Add condition
        </button>
        {depth < 3 && (
          <button
            type="button"
            class="button button-quiet"
            onClick={() => add({ ...emptyFilter(), combinator: 'or' })}
          >
            Add group
          </button>
        )}
      </div>
    </fieldset>
  )
}

function ConditionRow(props: {
  kind: TargetKind
  id: string
  condition: Condition
  groups: TargetGroup[]
  error?: string
  onChange: (c: Condition) => void
  onRemove: () => void
}) {
  const { condition: c, id } = props
  const set = (patch: Record<string, unknown>) => props.onChange({ ...c, ...patch } as Condition)
  const errorId = `${id}-error`
  const invalid = props.error ? { 'aria-invalid': true, 'aria-describedby': errorId } : {}
  const subject = subjectOf(c)
  const isDate = (c.type === 'field' || c.type === 'account_field') && dateFields.has(c.field)
  return (
    <div class="builder-row" data-condition={id}>
      <select
        aria-label="Condition on"
        value={subject}
        onChange={(e) => props.onChange(conditionFor(e.currentTarget.value, props.groups))}
      >
        {subjects(props.kind).map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      {(c.type === 'custom_field' || c.type === 'account_custom_field') && (
        <input
          aria-label="Custom field name"
          placeholder="Field name"
          value={c.key}
          onInput={(e) => set({ key: e.currentTarget.value })}
          {...invalid}
        />
      )}
      {(c.type === 'field' ||
        c.type === 'account_field' ||
        c.type === 'custom_field' ||
        c.type === 'account_custom_field') && (
        <>
          <select aria-label="Comparison" value={c.op} onChange={(e) => set({ op: e.currentTarget.value })}>
            {(c.type.endsWith('custom_field') ? customOps : isDate ? dateOps : textOps).map((op) => (
              <option key={op} value={op}>
                {opNames[op]}
              </option>
            ))}
          </select>
          {c.op !== 'is_empty' && c.op !== 'is_not_empty' && (
            <input
              aria-label="Value"
              type={isDate ? 'date' : 'text'}
              value={String(c.value ?? '')}
              onInput={(e) => set({ value: e.currentTarget.value })}
              {...invalid}
            />
          )}
        </>
      )}
      {c.type === 'labels' && (
        <>
          <select aria-label="Labels match" value={c.op} onChange={(e) => set({ op: e.currentTarget.value })}>
            <option value="any">has any of</option>
            <option value="all">has all of</option>
            <option value="none">has none of</option>
          </select>
          <input
            aria-label="Labels, comma-separated"
            placeholder="vip, webinar"
            value={c.values.join(', ')}
            onInput={(e) =>
              set({
                values: e.currentTarget.value
                  .split(',')
                  .map((v) => v.trim())
                  .filter(Boolean),
              })
            }
            {...invalid}
          />
        </>
      )}
      {c.type === 'status' && (
        <fieldset aria-label="Status is one of" {...invalid}>
          {contactStatuses.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={c.values.includes(s)}
                onChange={(e) =>
                  set({
                    values: e.currentTarget.checked ? [...c.values, s] : c.values.filter((v) => v !== s),
                  })
                }
              />{' '}
              {statusNames[s]}
            </label>
          ))}
        </fieldset>
      )}
      {c.type === 'activity' && <ActivityFields condition={c} onChange={set} invalid={invalid} />}
      {c.type === 'target_group' && (
        <>
          <select aria-label="Membership" value={c.op} onChange={(e) => set({ op: e.currentTarget.value })}>
            <option value="in">is in</option>
            <option value="not_in">is not in</option>
          </select>
          <select
            aria-label="Target group"
            value={c.groupId}
            onChange={(e) => set({ groupId: e.currentTarget.value })}
            {...invalid}
          >
            {props.groups.length === 0 && <option value="">No target groups yet</option>}
            {props.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </>
      )}
      <button
        type="button"
        class="button button-quiet"
        aria-label="Remove condition"
        onClick={props.onRemove}
      >
        Remove
      </button>
      {props.error && (
        <p class="field-error" id={errorId} role="alert">
          {props.error}
        </p>
      )}
    </div>
  )
}

import type { TargetGroupId } from '../db/schema.ts'

const NONE: readonly TargetGroupId[] = Object.freeze([])

/**
 * One copy of each repeated value of an index: the database hands every row its own copy of a
 * group id, an account id or a status, and a million entries holding them would hold a million
 * copies. Group lists are shared too (most targets are in the same one or two groups).
 */
export class Shared {
  private readonly strings = new Map<string, string>()
  private readonly lists = new Map<string, readonly TargetGroupId[]>()

  string<T extends string | null>(value: T): T {
    if (value === null) return value
    const known = this.strings.get(value)
    if (known !== undefined) return known as T
    this.strings.set(value, value)
    return value
  }

  groups(ids: readonly TargetGroupId[]): readonly TargetGroupId[] {
    if (!ids.length) return NONE
    const key = ids.join(',')
    let list = this.lists.get(key)
    if (!list) {
      list = Object.freeze(ids.map((id) => this.string(id)))
      this.lists.set(key, list)
    }
    return list
  }
}

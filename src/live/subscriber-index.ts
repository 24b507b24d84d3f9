import type { AuthorizedFilter } from '../domain/filter.js'
import type { Subscriber } from './subscriber.js'

interface Key {
  /** What pins the subscriber down first: organizations, else users, else nothing. */
  readonly kind: 'org' | 'user' | 'all'
  readonly ids: readonly string[]
  /** The scopes its filter names; null: any scope. */
  readonly scopes: readonly string[] | null
}

/** Subscribers of one organization (or user, or of all) by the scopes they want. */
class ScopeBuckets {
  private readonly byScope = new Map<string, Set<Subscriber>>()
  private readonly anyScope = new Set<Subscriber>()

  get empty(): boolean {
    return this.byScope.size === 0 && this.anyScope.size === 0
  }

  add(subscriber: Subscriber, scopes: readonly string[] | null): void {
    if (scopes === null) this.anyScope.add(subscriber)
    else for (const scope of scopes) setIn(this.byScope, scope).add(subscriber)
  }

  remove(subscriber: Subscriber, scopes: readonly string[] | null): void {
    if (scopes === null) this.anyScope.delete(subscriber)
    else for (const scope of scopes) deleteIn(this.byScope, scope, subscriber)
  }

  *candidates(scope: string): Generator<Subscriber> {
    const named = this.byScope.get(scope)
    if (named) yield* named
    yield* this.anyScope
  }
}

/**
 * Subscribers by what their filter pins down, so an event meets only those who might want it:
 * by organization when the filter names organizations (every member's does: the policy adds it),
 * else by user (people outside organizations see their own events), else among the few who see
 * everything (admins outside organizations); within those, by the scopes the filter names
 * (`exceptions` subscriptions name send:exception), so an organization's frame changes never
 * meet its exception watchers. A subscriber sits under one kind of key and an event has one
 * organization, user and scope, so fan-out matches each subscriber at most once per event.
 */
export class SubscriberIndex {
  private readonly byOrg = new Map<string, ScopeBuckets>()
  private readonly byUser = new Map<string, ScopeBuckets>()
  private readonly everyone = new ScopeBuckets()
  private readonly keys = new Map<Subscriber, Key>()

  get size(): number {
    return this.keys.size
  }

  all(): IterableIterator<Subscriber> {
    return this.keys.keys()
  }

  add(subscriber: Subscriber): void {
    const key = keyOf(subscriber.filter)
    this.keys.set(subscriber, key)
    for (const buckets of this.bucketsOf(key, true)) buckets.add(subscriber, key.scopes)
  }

  remove(subscriber: Subscriber): void {
    const key = this.keys.get(subscriber)
    if (!key) return
    this.keys.delete(subscriber)
    for (const buckets of this.bucketsOf(key, false)) buckets.remove(subscriber, key.scopes)
    if (key.kind === 'all') return
    const map = key.kind === 'org' ? this.byOrg : this.byUser
    for (const id of key.ids) if (map.get(id)?.empty) map.delete(id)
  }

  /** After a subscriber's filter changed (access re-checked). */
  reindex(subscriber: Subscriber): void {
    if (!this.keys.has(subscriber)) return
    this.remove(subscriber)
    this.add(subscriber)
  }

  /** The subscribers an event of this organization, user and scope may be for, each once. */
  *candidates(orgId: string | null, userId: string | null, scope: string): Generator<Subscriber> {
    if (orgId !== null) {
      const buckets = this.byOrg.get(orgId)
      if (buckets) yield* buckets.candidates(scope)
    }
    if (userId !== null) {
      const buckets = this.byUser.get(userId)
      if (buckets) yield* buckets.candidates(scope)
    }
    yield* this.everyone.candidates(scope)
  }

  private bucketsOf(key: Key, create: boolean): ScopeBuckets[] {
    if (key.kind === 'all') return [this.everyone]
    const map = key.kind === 'org' ? this.byOrg : this.byUser
    return key.ids.flatMap((id) => {
      let buckets = map.get(id)
      if (!buckets && create) map.set(id, (buckets = new ScopeBuckets()))
      return buckets ? [buckets] : []
    })
  }
}

function keyOf(filter: AuthorizedFilter): Key {
  const scopes = filter.scopes && filter.scopes.length > 0 ? [...new Set(filter.scopes)] : null
  if (filter.orgIds && filter.orgIds.length > 0)
    return { kind: 'org', ids: [...new Set(filter.orgIds)], scopes }
  if (filter.userIds && filter.userIds.length > 0)
    return { kind: 'user', ids: [...new Set(filter.userIds)], scopes }
  return { kind: 'all', ids: [], scopes }
}

function setIn(map: Map<string, Set<Subscriber>>, key: string): Set<Subscriber> {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  return set
}

function deleteIn(map: Map<string, Set<Subscriber>>, key: string, subscriber: Subscriber): void {
  const set = map.get(key)
  set?.delete(subscriber)
  if (set?.size === 0) map.delete(key)
}

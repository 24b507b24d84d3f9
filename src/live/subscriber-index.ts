import type { AuthorizedFilter } from '../domain/filter.js'
import type { Subscriber } from './subscriber.js'

type Key = { readonly kind: 'org' | 'user'; readonly ids: readonly string[] } | { readonly kind: 'all' }

/**
 * Subscribers by what their filter pins down, so an event meets only those who might want it:
 * by organization when the filter names organizations (every member's does: the policy adds it),
 * else by user (people outside organizations see their own events), else among the few who see
 * everything (admins outside organizations). Each subscriber sits under one kind of key and an
 * event has one organization and one user, so fan-out matches each subscriber at most once per
 * event, and those of other organizations not at all.
 */
export class SubscriberIndex {
  private readonly byOrg = new Map<string, Set<Subscriber>>()
  private readonly byUser = new Map<string, Set<Subscriber>>()
  private readonly everyone = new Set<Subscriber>()
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
    if (key.kind === 'all') this.everyone.add(subscriber)
    else for (const id of key.ids) setIn(key.kind === 'org' ? this.byOrg : this.byUser, id).add(subscriber)
  }

  remove(subscriber: Subscriber): void {
    const key = this.keys.get(subscriber)
    if (!key) return
    this.keys.delete(subscriber)
    if (key.kind === 'all') {
      this.everyone.delete(subscriber)
      return
    }
    const map = key.kind === 'org' ? this.byOrg : this.byUser
    for (const id of key.ids) {
      const set = map.get(id)
      set?.delete(subscriber)
      if (set?.size === 0) map.delete(id)
    }
  }

  /** After a subscriber's filter changed (access re-checked). */
  reindex(subscriber: Subscriber): void {
    if (!this.keys.has(subscriber)) return
    this.remove(subscriber)
    this.add(subscriber)
  }

  /** The subscribers an event of this organization and user may be for, each once. */
  *candidates(orgId: string | null, userId: string | null): Generator<Subscriber> {
    if (orgId !== null) yield* this.byOrg.get(orgId) ?? []
    if (userId !== null) yield* this.byUser.get(userId) ?? []
    yield* this.everyone
  }
}

function keyOf(filter: AuthorizedFilter): Key {
  if (filter.orgIds && filter.orgIds.length > 0) return { kind: 'org', ids: [...new Set(filter.orgIds)] }
  if (filter.userIds && filter.userIds.length > 0) return { kind: 'user', ids: [...new Set(filter.userIds)] }
  return { kind: 'all' }
}

function setIn(map: Map<string, Set<Subscriber>>, id: string): Set<Subscriber> {
  let set = map.get(id)
  if (!set) map.set(id, (set = new Set()))
  return set
}

import type { Engine } from './engine.js'
import type { AuthorizedFilter, EventFilter } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'
import type { SharedReads } from './shared-reads.js'

/** The values a dashboard offers in its filter drop-downs, within the caller's view and range. */
export interface FilterOptions {
  readonly users: { id: string; name: string | null }[]
  readonly orgs: { id: string; slug: string | null }[]
  readonly projectIds: string[]
  readonly taskIds: string[]
  readonly jobIds: string[]
  readonly scopes: string[]
  readonly sources: string[]
}

interface Row {
  users: [string, string | null][]
  orgs: [string, string | null][]
  projects: string[]
  tasks: string[]
  jobs: string[]
  scopes: string[]
  sources: string[]
}

const OPTION_COLUMNS = [
  'user_id',
  'user_name',
  'org_id',
  'org_slug',
  'project_id',
  'task_id',
  'job_id',
  'scope',
  'source',
] as const

/** Each list holds its `limit` smallest values: ids by number, text in byte order (as ClickHouse sorts). */
const list = (expr: string, condition?: string) =>
  `arraySlice(arraySort(groupUniqArray${condition ? `If(${expr}, ${condition})` : `(${expr})`}), 1, {limit:UInt32})`

const ENTITY_LISTS = `${list('assumeNotNull(project_id)', 'project_id IS NOT NULL')} AS projects,
            ${list('assumeNotNull(task_id)', 'task_id IS NOT NULL')} AS tasks,
            ${list('assumeNotNull(job_id)', 'job_id IS NOT NULL')} AS jobs,
            ${list('scope')} AS scopes,
            ${list('source')} AS sources`

/**
 * The option lists of one filter, in one scan of its own: for filters that name more than a
 * time range, organizations and users (the others are answered by `sharedFilterOptions`).
 */
export async function filterOptions(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  limit: number,
): Promise<FilterOptions> {
  const from = cube.source({ filter, columns: [...OPTION_COLUMNS] })
  const [row] = await engine.rows<Row>({
    name: 'analytics.filter_options',
    sql: `SELECT
            ${list('(assumeNotNull(user_id), user_name)', 'user_id IS NOT NULL')} AS users,
            ${list('(assumeNotNull(org_id), org_slug)', 'org_id IS NOT NULL')} AS orgs,
            ${ENTITY_LISTS}
          FROM ${from.sql}`,
    params: { ...from.params, limit },
  })
  return optionsOf(row)
}

/** One person's lists in one organization (user null: the events without a user). */
interface GroupRow {
  org_id: string | null
  org_slug: string | null
  user_id: string | null
  user_name: string | null
  projects: string[]
  tasks: string[]
  jobs: string[]
  scopes: string[]
  sources: string[]
}

/** Filter fields a shared read answers by picking its groups; any other needs a scan of its own. */
const PICKED_FIELDS = new Set(['from', 'to', 'orgIds', 'userIds', 'userNames'])

/** Whether `filter` names nothing but a time range, organizations and users. */
export function answeredByGroups(filter: EventFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      PICKED_FIELDS.has(key) || value === undefined || (Array.isArray(value) && value.length === 0),
  )
}

/**
 * The dashboards' variables, asked by every viewer at every refresh with only a time range and
 * the viewer's rights (an organization, and a user for those who see only their own events): one
 * read per organization and range, grouped by person, shared by every viewer of it
 * (`SharedReads`), each viewer's lists picked from the groups it may see. The same answer as
 * `filterOptions`: a value among the `limit` smallest of the picked groups together is among the
 * `limit` smallest of its own group.
 */
export async function sharedFilterOptions(
  engine: Engine,
  cube: Cube,
  shared: SharedReads,
  filter: AuthorizedFilter,
  limit: number,
): Promise<FilterOptions> {
  const orgIds = idSet(filter.orgIds)
  const userIds = idSet(filter.userIds)
  const range: EventFilter = {
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
  }
  // Reads wider than the caller's rights: their groups are narrowed to them (`picked`) before
  // anything of them leaves the store.
  const keyOf = (read: EventFilter) => JSON.stringify(['filter_options', read, limit])
  const groupsOf = (wider: EventFilter) => {
    const read = wider as AuthorizedFilter
    return shared.read(keyOf(read), () => {
      const from = cube.source({ filter: read, columns: [...OPTION_COLUMNS] })
      return engine.rows<GroupRow>({
        name: 'analytics.filter_options_by_user',
        sql: `SELECT org_id, org_slug, user_id, user_name,
                ${ENTITY_LISTS}
              FROM ${from.sql}
              GROUP BY org_id, org_slug, user_id, user_name`,
        params: { ...from.params, limit },
      })
    })
  }
  // Within organizations, every person of them (the caller's user, if any, is left out).
  if (orgIds) {
    const groups = await groupsOf({ ...range, orgIds: [...orgIds].sort() })
    return optionsOf(picked(groups, filter, limit))
  }
  const own: EventFilter = {
    ...range,
    ...(userIds ? { userIds: [...userIds].sort() } : {}),
    ...(filter.userNames?.length ? { userNames: [...filter.userNames].sort() } : {}),
  }
  // Outside any organization, a person sees its own events in every one. Alone, it reads only
  // itself: the read of everyone (an admin's) costs one viewer 1.5–2.2× its own. When that read
  // is kept or under way, or a second person asks the same range within the TTL (hundreds of
  // viewers refreshing one dashboard), each of them is answered from it.
  if (userIds || filter.userNames?.length) {
    const groups =
      shared.joined<GroupRow[]>(keyOf(range)) ??
      shared.joined<GroupRow[]>(keyOf(own)) ??
      (shared.asked(JSON.stringify(['filter_options_outside', range, limit])) > 1
        ? groupsOf(range)
        : undefined)
    if (groups) return optionsOf(picked(await groups, filter, limit))
  }
  return optionsOf(picked(await groupsOf(own), filter, limit))
}

/** The groups `filter` sees, listed as the single scan of `filterOptions` lists them. */
function picked(groups: readonly GroupRow[], filter: AuthorizedFilter, limit: number): Row {
  const orgIds = idSet(filter.orgIds)
  const userIds = idSet(filter.userIds)
  const userNames = filter.userNames && filter.userNames.length > 0 ? new Set(filter.userNames) : null
  const users = new Map<string, [string, string | null]>()
  const orgs = new Map<string, [string, string | null]>()
  const ids = { projects: new Set<string>(), tasks: new Set<string>(), jobs: new Set<string>() }
  const texts = { scopes: new Set<string>(), sources: new Set<string>() }
  for (const g of groups) {
    if (orgIds && (g.org_id === null || !orgIds.has(g.org_id))) continue
    if (userIds && (g.user_id === null || !userIds.has(g.user_id))) continue
    if (userNames && (g.user_name === null || !userNames.has(g.user_name))) continue
    if (g.user_id !== null) users.set(JSON.stringify([g.user_id, g.user_name]), [g.user_id, g.user_name])
    if (g.org_id !== null) orgs.set(JSON.stringify([g.org_id, g.org_slug]), [g.org_id, g.org_slug])
    for (const v of g.projects) ids.projects.add(v)
    for (const v of g.tasks) ids.tasks.add(v)
    for (const v of g.jobs) ids.jobs.add(v)
    for (const v of g.scopes) texts.scopes.add(v)
    for (const v of g.sources) texts.sources.add(v)
  }
  const smallest = <V>(values: Iterable<V>, order: (a: V, b: V) => number) =>
    [...values].sort(order).slice(0, limit)
  return {
    users: smallest(users.values(), byPair),
    orgs: smallest(orgs.values(), byPair),
    projects: smallest(ids.projects, byNumber),
    tasks: smallest(ids.tasks, byNumber),
    jobs: smallest(ids.jobs, byNumber),
    scopes: smallest(texts.scopes, byBytes),
    sources: smallest(texts.sources, byBytes),
  }
}

function optionsOf(row: Row | undefined): FilterOptions {
  const users = new Map<string, string | null>()
  // Pairs come sorted: a user with several names in the range gets the last (greatest) one.
  for (const [id, name] of row?.users ?? []) if (!users.has(id) || name) users.set(id, name)
  const orgs = new Map<string, string | null>()
  for (const [id, slug] of row?.orgs ?? []) if (!orgs.has(id) || slug) orgs.set(id, slug)
  return {
    users: [...users].sort(([a], [b]) => byNumber(a, b)).map(([id, name]) => ({ id, name })),
    orgs: [...orgs].sort(([a], [b]) => byNumber(a, b)).map(([id, slug]) => ({ id, slug })),
    projectIds: [...(row?.projects ?? [])].sort(byNumber),
    taskIds: [...(row?.tasks ?? [])].sort(byNumber),
    jobIds: [...(row?.jobs ?? [])].sort(byNumber),
    scopes: [...(row?.scopes ?? [])].sort(),
    sources: [...(row?.sources ?? [])].sort(),
  }
}

/** Ids as ClickHouse prints them (no leading zeros), so a filter's ids match the groups'. */
function idSet(ids: readonly string[] | undefined): Set<string> | null {
  return ids && ids.length > 0 ? new Set(ids.map((id) => BigInt(id).toString())) : null
}

/** Ids as ClickHouse prints them (digits, no leading zeros): the shorter is the smaller. */
const byNumber = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** ClickHouse's order of (id, text) pairs: by id, then text, a NULL text last. */
function byPair(a: [string, string | null], b: [string, string | null]): number {
  const ids = byNumber(a[0], b[0])
  if (ids !== 0) return ids
  if (a[1] === b[1]) return 0
  if (a[1] === null) return 1
  if (b[1] === null) return -1
  return byBytes(a[1], b[1])
}

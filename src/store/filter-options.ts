import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'

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

/** All option lists in one scan; each list is capped at `limit` values. */
export async function filterOptions(
  engine: Engine,
  filter: AuthorizedFilter,
  limit: number,
): Promise<FilterOptions> {
  const where = eventConditions(filter)
  const [row] = await engine.rows<Row>({
    name: 'analytics.filter_options',
    sql: `SELECT
            groupUniqArrayIf({limit:UInt32})((assumeNotNull(user_id), user_name), user_id IS NOT NULL) AS users,
            groupUniqArrayIf({limit:UInt32})((assumeNotNull(org_id), org_slug), org_id IS NOT NULL) AS orgs,
            groupUniqArrayIf({limit:UInt32})(assumeNotNull(project_id), project_id IS NOT NULL) AS projects,
            groupUniqArrayIf({limit:UInt32})(assumeNotNull(task_id), task_id IS NOT NULL) AS tasks,
            groupUniqArrayIf({limit:UInt32})(assumeNotNull(job_id), job_id IS NOT NULL) AS jobs,
            groupUniqArray({limit:UInt32})(scope) AS scopes,
            groupUniqArray({limit:UInt32})(source) AS sources
          FROM ${engine.database}.events WHERE ${where.sql}`,
    params: { ...where.params, limit },
  })
  const byNumber = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)
  const users = new Map<string, string | null>()
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

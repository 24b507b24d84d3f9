import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'

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

/**
 * All option lists in one scan; each list holds its `limit` smallest values (ids by number, text
 * in byte order), so the same data always gives the same lists, whichever source answers.
 */
export async function filterOptions(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  limit: number,
): Promise<FilterOptions> {
  const from = cube.source({
    filter,
    columns: [
      'user_id',
      'user_name',
      'org_id',
      'org_slug',
      'project_id',
      'task_id',
      'job_id',
      'scope',
      'source',
    ],
  })
  const list = (expr: string, condition?: string) =>
    `arraySlice(arraySort(groupUniqArray${condition ? `If(${expr}, ${condition})` : `(${expr})`}), 1, {limit:UInt32})`
  const [row] = await engine.rows<Row>({
    name: 'analytics.filter_options',
    sql: `SELECT
            ${list('(assumeNotNull(user_id), user_name)', 'user_id IS NOT NULL')} AS users,
            ${list('(assumeNotNull(org_id), org_slug)', 'org_id IS NOT NULL')} AS orgs,
            ${list('assumeNotNull(project_id)', 'project_id IS NOT NULL')} AS projects,
            ${list('assumeNotNull(task_id)', 'task_id IS NOT NULL')} AS tasks,
            ${list('assumeNotNull(job_id)', 'job_id IS NOT NULL')} AS jobs,
            ${list('scope')} AS scopes,
            ${list('source')} AS sources
          FROM ${from.sql}`,
    params: { ...from.params, limit },
  })
  const byNumber = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)
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

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkDashboards } from '../../scripts/dashboards/check.js'
import { DASHBOARDS_DIR } from '../../scripts/dashboards/dashboards.js'

interface Target {
  url_options: { method: string; body_graphql_query: string; body_graphql_variables: string }
  datasource: { uid: string }
  columns: { selector: string; text: string; type: string }[]
}
interface Dashboard {
  panels: { title: string; targets: Target[] }[]
  templating: { list: { name: string; query?: unknown; current?: { text: string; value: string } }[] }
}

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

/** Copies the dashboards, lets `change` edit one (the management dashboard), and checks the copy. */
async function checkWith(
  change: (dashboard: Dashboard) => void,
  raw?: (text: string) => string,
  name = 'management.json',
): Promise<string[]> {
  dir = await mkdtemp(path.join(tmpdir(), 'aa-dashboards-'))
  await cp(DASHBOARDS_DIR, dir, { recursive: true })
  const file = path.join(dir, name)
  const dashboard = JSON.parse(await readFile(file, 'utf8')) as Dashboard
  change(dashboard)
  const text = JSON.stringify(dashboard, null, 2)
  await writeFile(file, raw ? raw(text) : text)
  return checkDashboards({ dashboardsDir: dir })
}

const workingTime = (d: Dashboard): Target => {
  const panel = d.panels.find((p) => p.title === 'Working time')
  if (!panel?.targets[0]) throw new Error('the management dashboard has no Working time panel')
  return panel.targets[0]
}

describe('dashboards:check', () => {
  it('finds no problem in the committed dashboards', async () => {
    expect(await checkDashboards()).toEqual([])
  })

  it.each<[string, (d: Dashboard) => void, string]>([
    [
      'a multi-value variable without :json (Infinity would send variables: null)',
      (d) => {
        const t = workingTime(d)
        t.url_options.body_graphql_variables = t.url_options.body_graphql_variables.replace(
          '${users:json}',
          '${users}',
        )
      },
      "Working time' target A: with two values selected the variables are not a JSON object",
    ],
    [
      'a variable the dashboard does not have',
      (d) => {
        const t = workingTime(d)
        t.url_options.body_graphql_variables = t.url_options.body_graphql_variables.replace(
          '${users:json}',
          '${user:json}',
        )
      },
      'unknown variable $user',
    ],
    [
      'a panel that ignores a filter',
      (d) => {
        const t = workingTime(d)
        t.url_options.body_graphql_variables = t.url_options.body_graphql_variables.replace(
          '"jobIds": ${jobs:json},',
          '',
        )
      },
      "Working time' target A: ignores the dashboard variable 'jobs'",
    ],
    [
      'a GraphQL variable of the wrong type',
      (d) => {
        const t = workingTime(d)
        t.url_options.body_graphql_variables = t.url_options.body_graphql_variables.replace(
          '"${__from:date:iso}"',
          '"yesterday"',
        )
      },
      'DateTime must be an ISO-8601 string',
    ],
    [
      'the default GET method',
      (d) => {
        workingTime(d).url_options.method = 'GET'
      },
      'url_options.method is "GET"; must be "POST"',
    ],
    [
      'a column the query does not select',
      (d) => {
        workingTime(d).columns.push({ selector: 'milliseconds', text: 'ms', type: 'number' })
      },
      "column 'milliseconds' is not a field the query selects",
    ],
    [
      'a column of the wrong type',
      (d) => {
        const column = workingTime(d).columns.find((c) => c.selector === 'userName')
        if (column) column.type = 'number'
      },
      "column 'userName' does not convert to number",
    ],
    [
      'a query that is not its operation file',
      (d) => {
        const t = workingTime(d)
        t.url_options.body_graphql_query = t.url_options.body_graphql_query.replace(
          'actions',
          'actions\n    milliseconds',
        )
      },
      'the query differs from schema/operations/GrafanaWorkingTime.graphql',
    ],
    [
      'a field the schema does not have',
      (d) => {
        const t = workingTime(d)
        t.url_options.body_graphql_query = t.url_options.body_graphql_query.replace('actions', 'activity')
      },
      'Cannot query field "activity" on type "WorkingTimeRow"',
    ],
    [
      'another datasource',
      (d) => {
        workingTime(d).datasource.uid = 'clickhouse'
      },
      "target datasource 'clickhouse'",
    ],
  ])('reports %s', async (_case, change, problem) => {
    const problems = await checkWith(change)
    expect(problems.join('\n')).toContain(problem)
  })

  it.each<[string, (d: Dashboard) => void, string]>([
    [
      'a parameter no panel uses',
      (d) => {
        for (const panel of d.panels)
          for (const t of panel.targets)
            t.url_options.body_graphql_variables = t.url_options.body_graphql_variables.replace(
              ',\n  "idleSeconds": ${idle}',
              '',
            )
      },
      "productivity.json: no panel uses the variable 'idle'",
    ],
    [
      'a parameter that starts outside its values',
      (d) => {
        const idle = d.templating.list.find((v) => v.name === 'idle')
        if (idle) idle.current = { text: '120', value: '120' }
      },
      "productivity.json: variable 'idle' starts at '120', not one of its values",
    ],
    [
      'a parameter value the query cannot take',
      (d) => {
        const idle = d.templating.list.find((v) => v.name === 'idle')
        if (idle) idle.query = '60,100,five minutes'
      },
      'with idle at five minutes the variables are not a JSON object',
    ],
  ])('reports %s (the productivity dashboard)', async (_case, change, problem) => {
    const problems = await checkWith(change, undefined, 'productivity.json')
    expect(problems.join('\n')).toContain(problem)
  })

  it('reports a file that is not JSON', async () => {
    const problems = await checkWith(
      () => undefined,
      (text) => text.slice(0, -2),
    )
    expect(problems.join('\n')).toContain('management.json: not JSON')
  })
})

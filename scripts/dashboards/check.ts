/**
 * The checks of `npm run dashboards:check`, as a function the CLI and the tests share. Each
 * problem names its dashboard, panel or variable and says what Grafana would do with it.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import {
  buildSchema,
  getNamedType,
  getVariableValues,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  validate,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql'
import { buildSchema as buildCodeSchema } from '../../src/schema.js'
import {
  dashboardFiles,
  isParameter,
  loadDashboard,
  parameterValues,
  OPERATIONS_DIR,
  panelsOf,
  provisionedDatasources,
  querySites,
  ROOT,
  variablesOf,
  type DashboardVariable,
  type LoadedDashboard,
  type QuerySite,
} from './dashboards.js'
import {
  applyRootSelector,
  COLUMN_TYPES,
  interpolate,
  isBuiltin,
  plainPath,
  toFrame,
  VARIABLE_PATTERN,
  type Interpolation,
  type Selection,
} from './infinity.js'

/** Operations of dashboards are named with this prefix, so an unused one is noticed. */
export const DASHBOARD_OPERATION_PREFIX = 'Grafana'

export interface CheckOptions {
  readonly dashboardsDir?: string
  readonly schemaFile?: string
  readonly operationsDir?: string
}

/** Runs every check; returns the problems (empty when all dashboards are fine). */
export async function checkDashboards(options: CheckOptions = {}): Promise<string[]> {
  const problems: string[] = []
  const schema = buildSchema(
    readFileSync(options.schemaFile ?? path.join(ROOT, 'schema/schema.graphql'), 'utf8'),
  )
  // The printed SDL knows its scalars' names only; the code's schema (the same, or CI fails) also
  // knows how they parse, e.g. that a DateTime is ISO-8601 or epoch milliseconds.
  const scalars = buildCodeSchema()
  const operationsDir = options.operationsDir ?? OPERATIONS_DIR
  const datasources = provisionedDatasources()
  if (datasources.length !== 1) {
    problems.push(
      `grafana/provisioning/datasources: expected one Infinity datasource, found ${datasources.length}`,
    )
  }
  const uid = datasources[0]?.uid
  const usedOperations = new Set<string>()
  const uids = new Map<string, string>()

  for (const file of dashboardFiles(options.dashboardsDir)) {
    let loaded: LoadedDashboard
    try {
      loaded = loadDashboard(file)
    } catch (error) {
      problems.push((error as Error).message)
      continue
    }
    const name = path.basename(file)
    const { dashboard } = loaded
    if (!dashboard.uid) problems.push(`${name}: no uid (links and provisioning need a stable one)`)
    else if (uids.has(dashboard.uid))
      problems.push(`${name}: uid '${dashboard.uid}' is also ${uids.get(dashboard.uid)}'s`)
    else uids.set(dashboard.uid, name)
    if (!dashboard.title) problems.push(`${name}: no title`)
    for (const panel of panelsOf(dashboard)) {
      if (panel.datasource?.uid !== undefined && panel.datasource.uid !== uid) {
        problems.push(
          `${name}: panel '${panel.title}' uses datasource '${panel.datasource.uid}', not '${uid}'`,
        )
      }
      if (panel.type !== 'row' && panel.type !== 'text' && (panel.targets ?? []).length === 0) {
        problems.push(`${name}: panel '${panel.title}' has no query`)
      }
    }
    const variables = variablesOf(dashboard)
    const parametersUsed = new Set<string>()
    for (const variable of variables.filter(isParameter)) {
      const { values, current } = parameterValues(variable)
      if (values.length === 0) problems.push(`${name}: variable '${variable.name}' lists no values`)
      else if (!values.includes(current))
        problems.push(`${name}: variable '${variable.name}' starts at '${current}', not one of its values`)
    }
    for (const site of querySites(loaded)) {
      for (const text of [site.target.url, site.target.url_options?.body_graphql_variables])
        for (const ref of references(text)) parametersUsed.add(ref)
      const siteProblems: string[] = []
      const operation = await checkSite(
        site,
        variables,
        { schema, scalars },
        operationsDir,
        uid,
        siteProblems,
      )
      if (operation) usedOperations.add(operation)
      problems.push(...siteProblems.map((p) => `${site.where}: ${p}`))
    }
    for (const variable of variables.filter(isParameter)) {
      if (!parametersUsed.has(variable.name))
        problems.push(`${name}: no panel uses the variable '${variable.name}'`)
    }
  }

  for (const file of readdirSync(operationsDir)) {
    const operation = file.replace(/\.graphql$/, '')
    if (operation.startsWith(DASHBOARD_OPERATION_PREFIX) && !usedOperations.has(operation)) {
      problems.push(
        `schema/operations/${file}: no dashboard uses it (remove it, or rename it without the '${DASHBOARD_OPERATION_PREFIX}' prefix)`,
      )
    }
  }
  return problems
}

/**
 * Selections the checks interpolate with: everything "All", then two values for every variable;
 * a parameter (a custom variable) at each of its values.
 */
function scenarios(
  variables: readonly DashboardVariable[],
): { label: string; selections: Record<string, Selection> }[] {
  const parameters = variables.filter(isParameter)
  const one = (v: DashboardVariable): Selection =>
    isParameter(v) ? [parameterValues(v).current] : v.includeAll ? 'all' : ['acme']
  return [
    { label: '"All" selected', selections: Object.fromEntries(variables.map((v) => [v.name, one(v)])) },
    {
      label: 'two values selected',
      selections: Object.fromEntries(
        variables.map((v) => [v.name, v.multi && !isParameter(v) ? ['101', '102'] : one(v)]),
      ),
    },
    ...parameters.flatMap((p) =>
      parameterValues(p).values.map((value) => ({
        label: `${p.name} at ${value}`,
        selections: Object.fromEntries(variables.map((v) => [v.name, v === p ? [value] : one(v)])),
      })),
    ),
  ]
}

async function checkSite(
  site: QuerySite,
  variables: readonly DashboardVariable[],
  { schema, scalars }: { schema: GraphQLSchema; scalars: GraphQLSchema },
  operationsDir: string,
  uid: string | undefined,
  problems: string[],
): Promise<string | null> {
  const { target } = site
  const datasourceUid = site.kind === 'variable' ? site.variable?.datasource?.uid : target.datasource?.uid
  if (datasourceUid !== uid) problems.push(`datasource '${datasourceUid}', not the provisioned '${uid}'`)
  if (target.datasource?.uid !== undefined && target.datasource.uid !== uid) {
    problems.push(`target datasource '${target.datasource.uid}', not '${uid}'`)
  }
  const options = target.url_options ?? {}
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    if (actual !== wanted)
      problems.push(`${what} is ${JSON.stringify(actual)}; must be ${JSON.stringify(wanted)}`)
  }
  expect('type', target.type, 'graphql')
  expect('source', target.source, 'url')
  expect('parser', target.parser, 'backend')
  // Infinity's default method is GET: a GraphQL target left on it goes out without a body.
  expect('url_options.method', options.method, 'POST')
  expect('url_options.body_type', options.body_type, 'graphql')
  if (!target.root_selector) problems.push('no root_selector')
  // A plain path: the answer comes in the shape the panel reads. An expression (a $sort, a
  // reshaping map) runs over every row on every refresh, in Grafana's JSONata, which for a
  // series of thousands of points costs seconds (issue 21): the API gives that shape instead.
  else if (
    site.kind === 'panel' &&
    !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(target.root_selector)
  )
    problems.push(
      `root_selector '${target.root_selector}' is an expression; select a plain path (data.a.b) and have the API answer in the shape the panel reads`,
    )
  const columns = target.columns ?? []
  if (site.kind === 'panel' && columns.length === 0)
    problems.push('no columns: every panel declares its typed columns')
  const names = new Set<string>()
  for (const column of columns) {
    if (!COLUMN_TYPES.includes(column.type))
      problems.push(`column '${column.selector}' has type '${column.type}'`)
    const name = column.text || column.selector
    if (names.has(name)) problems.push(`two columns named '${name}'`)
    names.add(name)
  }
  if (
    site.kind === 'panel' &&
    target.format === 'timeseries' &&
    !columns.some((c) => c.type === 'timestamp')
  ) {
    problems.push('format timeseries without a timestamp column')
  }

  const variableNames = new Set(variables.map((v) => v.name))
  // Grafana fills what it knows; an unknown ${name} in the URL, headers or variables JSON is a typo.
  const texts: [string, string | undefined][] = [
    ['url', target.url],
    ['variables', options.body_graphql_variables],
    ...(options.headers ?? []).map((h): [string, string] => [`header ${h.key}`, h.value]),
  ]
  for (const [where, text] of texts) {
    for (const name of references(text)) {
      if (!variableNames.has(name) && !isBuiltin(name)) problems.push(`${where}: unknown variable $${name}`)
    }
  }
  // Every filter of the dashboard applies to every panel (CVAT's dashboards had panels that
  // ignored some); a parameter (a custom variable) applies where it means something.
  if (site.kind === 'panel') {
    const used = new Set(texts.flatMap(([, text]) => references(text)))
    for (const variable of variables) {
      if (!isParameter(variable) && !used.has(variable.name))
        problems.push(`ignores the dashboard variable '${variable.name}'`)
    }
  }
  // The query text and the root selector have their own $names (GraphQL's, JSONata's): Grafana
  // would replace any that is also a dashboard variable or one of its own.
  for (const [where, text] of [
    ['query', options.body_graphql_query],
    ['root_selector', target.root_selector],
  ] as const) {
    for (const match of (text ?? '').matchAll(/\$(\w+)/g)) {
      const name = match[1] as string
      if (variableNames.has(name) || (isBuiltin(name) && !name.startsWith('__'))) {
        problems.push(
          `${where}: $${name} is also a Grafana variable, which Grafana would substitute; rename it`,
        )
      }
    }
  }

  const raw = options.body_graphql_query ?? ''
  let document: DocumentNode
  try {
    document = parse(raw)
  } catch (error) {
    problems.push(`the query does not parse: ${(error as Error).message}`)
    return null
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )
  const operation = operations[0]
  if (operations.length !== 1 || !operation?.name) {
    problems.push('the query must be one named operation (its name is its file in schema/operations/)')
    return null
  }
  const opName = operation.name.value
  const file = path.join(operationsDir, `${opName}.graphql`)
  if (!existsSync(file)) problems.push(`operation ${opName} has no file schema/operations/${opName}.graphql`)
  else if (print(parse(readFileSync(file, 'utf8'))) !== print(document)) {
    problems.push(`the query differs from schema/operations/${opName}.graphql (copy one into the other)`)
  }

  for (const scenario of scenarios(variables)) {
    const ctx: Interpolation = {
      fromMs: Date.UTC(2024, 4, 6),
      toMs: Date.UTC(2024, 4, 13),
      intervalMs: 3_600_000,
      variables,
      selections: scenario.selections,
      options: Object.fromEntries(variables.map((v) => [v.name, ['101', '102']])),
    }
    let query: string
    let variablesText: string
    try {
      query = interpolate(raw, 'query', ctx)
      variablesText = interpolate(options.body_graphql_variables ?? '', 'variables', ctx)
      interpolate(target.url ?? '', 'url', ctx)
    } catch (error) {
      problems.push(`with ${scenario.label}: ${(error as Error).message}`)
      continue
    }
    const interpolated = parse(query)
    for (const error of validate(schema, interpolated))
      problems.push(`with ${scenario.label}: ${error.message}`)
    let values: Record<string, unknown> | null = null
    try {
      const parsed: unknown = variablesText.trim() === '' ? {} : JSON.parse(variablesText)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object')
      values = parsed as Record<string, unknown>
    } catch (error) {
      problems.push(
        `with ${scenario.label} the variables are not a JSON object (${(error as Error).message}); Infinity would send variables: null\n${variablesText}`,
      )
      continue
    }
    const coerced = getVariableValues(scalars, operation.variableDefinitions ?? [], values)
    for (const error of coerced.errors ?? []) problems.push(`with ${scenario.label}: ${error.message}`)
  }

  await checkColumns(site, schema, operation, problems)
  return opName
}

function references(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(VARIABLE_PATTERN)].map((m) => (m[1] ?? m[2] ?? m[4]) as string)
}

/**
 * Builds an answer of the operation's shape (two of everything, sample values of each type),
 * applies the root selector and reads each column: a column that reads nothing is not among the
 * fields the query selects, and one whose sample does not convert is of the wrong type.
 */
async function checkColumns(
  site: QuerySite,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  problems: string[],
): Promise<void> {
  const queryType = schema.getQueryType()
  if (!queryType) return
  const answer = { data: sampleOf(operation.selectionSet, queryType, schema) }
  let root: unknown
  try {
    root = await applyRootSelector(answer, site.target.root_selector ?? '')
  } catch (error) {
    problems.push(`root_selector: ${(error as Error).message}`)
    return
  }
  const rows: unknown[] = Array.isArray(root) ? root : root !== null && typeof root === 'object' ? [root] : []
  if (rows.length === 0) {
    problems.push(`root_selector '${site.target.root_selector}' selects no rows of the query's answer`)
    return
  }
  const columns = site.target.columns ?? []
  if (columns.length === 0) {
    if (!rows.every((r) => typeof r === 'string'))
      problems.push('without columns, the root selector must select a list of strings')
    return
  }
  const frame = await toFrame(answer, site.target)
  for (const column of columns) {
    const first = rows[0]
    if (plainPath(first, column.selector) === undefined) {
      problems.push(
        `column '${column.selector}' is not a field the query selects under '${site.target.root_selector}'`,
      )
      continue
    }
    const field = frame.fields.find((f) => f.name === (column.text || column.selector))
    if (field?.values.every((v) => v === null)) {
      problems.push(
        `column '${column.selector}' does not convert to ${column.type} (its GraphQL type is another)`,
      )
    }
  }
}

const SAMPLES: Record<string, unknown> = {
  ID: '101',
  String: 'text',
  Float: 1.5,
  Int: 2,
  Boolean: true,
  DateTime: '2024-05-06T08:00:00.000Z',
  JSON: { key: 'value' },
}

function sampleOf(
  selectionSet: SelectionSetNode,
  parent: GraphQLOutputType,
  schema: GraphQLSchema,
): Record<string, unknown> {
  const type = getNamedType(parent)
  if (!isObjectType(type)) throw new Error(`sampling ${type.name}: only object types are re-enacted`)
  const out: Record<string, unknown> = {}
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) throw new Error('fragments are not re-enacted in dashboard queries')
    const key = selection.alias?.value ?? selection.name.value
    if (selection.name.value === '__typename') {
      out[key] = type.name
      continue
    }
    const field = type.getFields()[selection.name.value]
    if (!field) continue // validation reports it
    out[key] = sampleValue(field.type, selection.selectionSet, schema)
  }
  return out
}

function sampleValue(
  type: GraphQLOutputType,
  selectionSet: SelectionSetNode | undefined,
  schema: GraphQLSchema,
): unknown {
  const nullable = getNullableType(type)
  if (isListType(nullable)) {
    const item = nullable.ofType
    return [sampleValue(item, selectionSet, schema), sampleValue(item, selectionSet, schema)]
  }
  if (isScalarType(nullable)) return SAMPLES[nullable.name] ?? 'text'
  if (isEnumType(nullable)) return nullable.getValues()[0]?.name ?? null
  if (selectionSet) return sampleOf(selectionSet, nullable, schema)
  return null
}

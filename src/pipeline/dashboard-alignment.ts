import {
  getOperationAST,
  Kind,
  OperationTypeNode,
  print,
  visit,
  type DocumentNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql'
import { parseInterval } from '../domain/aggregation-input.js'
import { parseTimestamp } from '../ingest/timestamps.js'

/**
 * How far from the service's clock a range's end may be and still count as "now" (Grafana's
 * `$__to` of a relative range, sent by a browser whose clock may be a little off). Ranges ending
 * further away (absolute ranges in the past or the future) do not move between refreshes and
 * are never aligned, so their answers are exactly what was asked.
 */
export const LIVE_WINDOW_MS = 5 * 60_000

/** What the response cache needs to know of a query document; computed once per parsed document. */
export interface QueryShape {
  /** The document as printed (comments and spacing aside): the key's text. */
  readonly text: string
  /** Whether answers may be cached at all (a query, no export status, alert rules or introspection). */
  readonly cacheable: boolean
  /**
   * Whether every root field is answered only through the access policy (`authorize`), so that
   * callers the policy treats alike get the same answer (see policyInputs).
   */
  readonly shared: boolean
  /** The EventFilter variables, each with the intervals (`interval:`) of the fields it filters. */
  readonly filters: ReadonlyMap<string, readonly Interval[]>
}

/** An interval argument: a literal (milliseconds) or the name of a variable. */
type Interval = { readonly ms: number } | { readonly variable: string }

/** Root fields whose answers depend on the caller only through authorize(). */
const SHARED_FIELDS = new Set([
  '__typename',
  'activeUsers',
  'activity',
  'events',
  'exceptionGroups',
  'exceptions',
  'exceptionsOverTime',
  'filterOptions',
  'idleGaps',
  'job',
  'jobFlow',
  'jobs',
  'platforms',
  'productivity',
  'project',
  'projects',
  'scopeDurations',
  'task',
  'tasks',
  'user',
  'users',
  'workingTime',
])

/** Never cached: an export's status changes while its caller polls; alert rules change by mutations. */
const NEVER_CACHED = new Set(['export', 'alertRule', 'alertRules'])

const shapes = new WeakMap<DocumentNode, QueryShape | null>()

/** The shape of the operation `operationName` of `document`; null for anything but a query. */
export function queryShape(
  document: DocumentNode,
  operationName: string | null | undefined,
): QueryShape | null {
  const known = shapes.get(document)
  if (known !== undefined) return known
  const shape = computeShape(document, operationName)
  shapes.set(document, shape)
  return shape
}

function computeShape(document: DocumentNode, operationName: string | null | undefined): QueryShape | null {
  // A document of several operations: its shape depends on the one chosen (not memoizable per
  // document); such documents are rare and simply not cached.
  if (document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length !== 1) return null
  const operation = getOperationAST(document, operationName)
  if (operation?.operation !== OperationTypeNode.QUERY) return null
  const fragments = new Map<string, SelectionSetNode>()
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet)
  const roots = new Set<string>()
  const collect = (set: SelectionSetNode, seen: Set<string>) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) roots.add(s.name.value)
      else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet, seen)
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value)
        const fragment = fragments.get(s.name.value)
        if (fragment) collect(fragment, seen)
      }
    }
  }
  collect(operation.selectionSet, new Set())
  const rootList = [...roots]
  const cacheable = rootList.every((f) => !NEVER_CACHED.has(f) && (f === '__typename' || !f.startsWith('__')))
  const filterVariables = new Set(
    (operation.variableDefinitions ?? [])
      .filter((v) => namedType(v.type) === 'EventFilter')
      .map((v) => v.variable.name.value),
  )
  const filters = new Map<string, Interval[]>()
  visit(document, {
    Field(field) {
      const filter = field.arguments?.find((a) => a.name.value === 'filter')?.value
      if (filter?.kind !== Kind.VARIABLE || !filterVariables.has(filter.name.value)) return
      const intervals = filters.get(filter.name.value) ?? []
      filters.set(filter.name.value, intervals)
      const interval = field.arguments?.find((a) => a.name.value === 'interval')?.value
      const parsed = interval && intervalOf(interval)
      if (parsed) intervals.push(parsed)
    },
  })
  return { text: print(document), cacheable, shared: rootList.every((f) => SHARED_FIELDS.has(f)), filters }
}

function namedType(type: { kind: Kind; type?: unknown; name?: { value: string } }): string {
  return type.kind === Kind.NAMED_TYPE ? (type.name?.value ?? '') : namedType(type.type as typeof type)
}

function intervalOf(value: ValueNode): Interval | null {
  if (value.kind === Kind.VARIABLE) return { variable: value.name.value }
  if (value.kind !== Kind.STRING) return null
  try {
    return { ms: parseInterval(value.value) }
  } catch {
    return null
  }
}

/**
 * The variables with the time range of every live EventFilter (one whose `to` is within
 * LIVE_WINDOW_MS of `nowMs`) moved onto a grid, so that every refresh within one step asks the
 * same question: `to` and `from` down to a multiple of `stepMs` (the cache's TTL, counted from
 * the epoch), and `from` further down to the start of its bucket when the filter's fields all
 * ask for one interval (buckets are aligned to the epoch, so the first bucket is then whole).
 * The answer is exactly the answer for the aligned range; it ends at most `stepMs` before the
 * range asked for. Other variables, and filters without a live `to`, are left as they are; the
 * object itself is returned when nothing moved.
 */
export function alignedVariables(
  variables: Readonly<Record<string, unknown>>,
  filters: ReadonlyMap<string, readonly Interval[]>,
  stepMs: number,
  nowMs: number,
): Readonly<Record<string, unknown>> {
  let aligned: Record<string, unknown> | null = null
  for (const [name, intervals] of filters) {
    const filter = variables[name] as { from?: unknown; to?: unknown } | null | undefined
    if (filter === null || typeof filter !== 'object') continue
    // The variables as sent (execution coerces them later): DateTime's forms, as its scalar reads them.
    const from = dateTime(filter.from)
    const to = dateTime(filter.to)
    if (to === undefined || Math.abs(to - nowMs) > LIVE_WINDOW_MS) continue
    const bucketMs = oneInterval(intervals, variables)
    const next: Record<string, unknown> = { ...filter, to: new Date(floorTo(to, stepMs)).toISOString() }
    if (from !== undefined) {
      const stepped = floorTo(from, stepMs)
      next.from = new Date(bucketMs ? floorTo(stepped, bucketMs) : stepped).toISOString()
    }
    aligned ??= { ...variables }
    aligned[name] = next
  }
  return aligned ?? variables
}

/** The one interval every field of a filter asks for; null when none or several. */
function oneInterval(
  intervals: readonly Interval[],
  variables: Readonly<Record<string, unknown>>,
): number | null {
  let ms: number | null = null
  for (const interval of intervals) {
    let value: number
    if ('ms' in interval) value = interval.ms
    else {
      const text = variables[interval.variable]
      if (typeof text !== 'string') return null
      try {
        value = parseInterval(text)
      } catch {
        return null
      }
    }
    if (ms !== null && ms !== value) return null
    ms = value
  }
  return ms
}

/** A DateTime variable's milliseconds (ISO text, epoch milliseconds, or their digits); undefined otherwise. */
function dateTime(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined
  return parseTimestamp(typeof value === 'string' && /^\d{12,}$/.test(value) ? Number(value) : value)
}

function floorTo(ms: number, step: number): number {
  return step > 0 ? Math.floor(ms / step) * step : ms
}

/**
 * How a job moves through CVAT's stages (annotation → validation → acceptance, and back when
 * rejected), from its `update:job` events: CVAT logs one event per changed field, `obj_name` the
 * field and `obj_val` the new value (`obj_id` the new assignee's id for `assignee`); the
 * `updated_date` events that come with every change are ignored. Pure: the store reads the
 * events (store/job-flow-read.ts), this builds the flow.
 */

export const STAGES = ['annotation', 'validation', 'acceptance'] as const
export type Stage = (typeof STAGES)[number]
/** The fields of a job whose changes make its flow. */
export const FLOW_FIELDS = ['stage', 'state', 'assignee'] as const
export type FlowField = (typeof FLOW_FIELDS)[number]

/** What a new CVAT job starts with. */
const INITIAL = { stage: 'annotation', state: 'new', assignee: null } as const

/** One event of a job, as the flow needs it. */
export interface JobFlowEvent {
  readonly atMs: number
  readonly kind: 'field' | 'working_time' | 'other'
  /** For `field`: which field changed, its new value (text), and for `assignee` the new assignee's id. */
  readonly field?: FlowField
  readonly value?: string | null
  readonly valueId?: string | null
  /** For `working_time`: the milliseconds of the `send:working_time` event. */
  readonly ms?: number
  readonly userId: string | null
  readonly requestId: string
}

export interface JobTransition {
  readonly atMs: number
  readonly field: FlowField
  /** The value before (CVAT's defaults before the first change: stage annotation, state new). */
  readonly from: string | null
  readonly to: string | null
  readonly userId: string | null
}

export type PerStage = Record<Stage, number>

export interface JobFlow {
  readonly jobId: string
  readonly taskId: string | null
  readonly projectId: string | null
  /** Stage and state at the end of the range, and the assignee's id (null when unassigned). */
  readonly stage: string
  readonly state: string
  readonly assigneeId: string | null
  /** Wall-clock milliseconds in each stage, the open one up to the end of the range. */
  readonly msIn: PerStage
  /** Wall-clock milliseconds in state `in progress`. */
  readonly inProgressMs: number
  /** Times the job was sent back: to annotation from validation or acceptance, or to state rejected (once per review). */
  readonly rejections: number
  readonly firstValidationMs: number | null
  /** When the job last entered acceptance; null unless it is in acceptance at the end of the range. */
  readonly acceptedMs: number | null
  /** From the job's first event to `acceptedMs`. */
  readonly cycleMs: number | null
  /** Working time (`send:working_time` of the job) while the job was in each stage. */
  readonly workingMsIn: PerStage
  readonly transitions: readonly JobTransition[]
}

const isStage = (value: string | null): value is Stage => (STAGES as readonly string[]).includes(value ?? '')

/**
 * The flow of one job from its events up to `toMs`. Events are taken in time order (changes of
 * one request in the order given); the job starts at its first event, in CVAT's initial stage
 * and state.
 */
export function buildJobFlow(
  ids: { readonly jobId: string; readonly taskId: string | null; readonly projectId: string | null },
  events: readonly JobFlowEvent[],
  toMs: number,
): JobFlow {
  const ordered = [...events].filter((e) => e.atMs <= toMs).sort((a, b) => a.atMs - b.atMs)
  const startMs = ordered[0]?.atMs ?? toMs
  let stage: string = INITIAL.stage
  let state: string = INITIAL.state
  let assignee: string | null = INITIAL.assignee
  let assigneeId: string | null = null
  let stageSince = startMs
  let stateSince = startMs
  const msIn: PerStage = { annotation: 0, validation: 0, acceptance: 0 }
  const workingMsIn: PerStage = { annotation: 0, validation: 0, acceptance: 0 }
  let inProgressMs = 0
  let rejections = 0
  let rejectedThisReview = false
  let firstValidationMs: number | null = null
  let enteredAcceptanceMs: number | null = null
  const transitions: JobTransition[] = []

  const closeStage = (atMs: number) => {
    if (isStage(stage)) msIn[stage] += atMs - stageSince
    stageSince = atMs
  }
  const closeState = (atMs: number) => {
    if (state === 'in progress') inProgressMs += atMs - stateSince
    stateSince = atMs
  }
  const reject = () => {
    if (!rejectedThisReview) rejections++
    rejectedThisReview = true
  }

  for (const e of ordered) {
    if (e.kind === 'working_time') {
      if (isStage(stage)) workingMsIn[stage] += e.ms ?? 0
      continue
    }
    if (e.kind !== 'field' || e.field === undefined) continue
    const to = e.value ?? null
    if (e.field === 'stage') {
      if (to === stage) continue
      transitions.push({ atMs: e.atMs, field: 'stage', from: stage, to, userId: e.userId })
      closeStage(e.atMs)
      if (to === 'annotation' && (stage === 'validation' || stage === 'acceptance')) reject()
      if (to === 'validation' || to === 'acceptance') {
        if (stage === 'annotation') rejectedThisReview = false
        if (to === 'validation' && firstValidationMs === null) firstValidationMs = e.atMs
      }
      if (to === 'acceptance') enteredAcceptanceMs = e.atMs
      stage = to ?? stage
    } else if (e.field === 'state') {
      if (to === state) continue
      transitions.push({ atMs: e.atMs, field: 'state', from: state, to, userId: e.userId })
      closeState(e.atMs)
      if (to === 'rejected') reject()
      state = to ?? state
    } else {
      // CVAT's obj_id; rows that lack it but name the id as their value are read as such.
      const id = e.valueId ?? (/^\d+$/.test(to ?? '') ? to : null)
      if (id === assigneeId && to === assignee) continue
      transitions.push({ atMs: e.atMs, field: 'assignee', from: assigneeId, to: id, userId: e.userId })
      assignee = to
      assigneeId = id
    }
  }
  closeStage(toMs)
  closeState(toMs)
  const acceptedMs = stage === 'acceptance' ? enteredAcceptanceMs : null
  return {
    ...ids,
    stage,
    state,
    assigneeId,
    msIn,
    inProgressMs,
    rejections,
    firstValidationMs,
    acceptedMs,
    cycleMs: acceptedMs === null ? null : acceptedMs - startMs,
    workingMsIn,
    transitions,
  }
}

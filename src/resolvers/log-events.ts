import { builder } from '../builder.js'
import { summarize, type FieldError } from '../ingest/fields.js'

const ClientEventInput = builder.inputType('ClientEventInput', {
  description:
    "One event of a client batch, as CVAT's UI sends it (camelCase). Identity comes from your credentials.",
  fields: (t) => ({
    scope: t.string({ required: true }),
    timestamp: t.string({ required: true, description: 'ISO-8601, in the client clock.' }),
    objName: t.string({ required: false }),
    objId: t.id({ required: false }),
    objVal: t.string({ required: false }),
    count: t.int({ required: false }),
    duration: t.float({ required: false, description: 'Milliseconds.' }),
    projectId: t.id({ required: false }),
    taskId: t.id({ required: false }),
    jobId: t.id({ required: false }),
    payload: t.field({ type: 'JSON', required: false, description: 'A JSON object, or its text.' }),
  }),
})

const ClientBatchInput = builder.inputType('ClientBatchInput', {
  fields: (t) => ({
    events: t.field({ type: [ClientEventInput], required: true }),
    previousEvent: t.field({ type: ClientEventInput, required: false }),
    timestamp: t.string({
      required: true,
      description: 'When the client sent the batch, in its clock (for clock-skew correction).',
    }),
  }),
})

/** The input's camelCase names for CVAT's wire names, so problems name the field as the caller wrote it. */
const CAMEL: Record<string, string> = {
  obj_name: 'objName',
  obj_id: 'objId',
  obj_val: 'objVal',
  project_id: 'projectId',
  task_id: 'taskId',
  job_id: 'jobId',
  previous_event: 'previousEvent',
}
const camelNames = (wireName: string) => CAMEL[wireName] ?? wireName

const FieldProblemType = builder.objectRef<FieldError>('FieldProblem').implement({
  fields: (t) => ({
    index: t.int({
      nullable: true,
      description: 'Index of the event in the batch.',
      resolve: (e) => e.index ?? null,
    }),
    field: t.string({ resolve: (e) => e.field }),
    message: t.string({ resolve: (e) => e.message }),
  }),
})

const WriteOutcomeEnum = builder.enumType('WriteOutcome', {
  values: {
    STORED: { value: 'stored', description: 'In the store.' },
    SPOOLED: {
      value: 'spooled',
      description: 'On the local spool; stored when the ClickHouse server is back.',
    },
  } as const,
})

interface Logged {
  readonly kind: 'logged'
  readonly written: number
  readonly outcome: 'stored' | 'spooled'
  readonly requestId: string
}
interface Rejected {
  readonly kind: 'rejected'
  readonly message: string
  readonly errors: FieldError[]
}

const LogEventsSuccessType = builder.objectRef<Logged>('LogEventsSuccess').implement({
  isTypeOf: (value) => (value as Logged).kind === 'logged',
  fields: (t) => ({
    stored: t.int({
      description: 'Events written: the batch without heartbeats, plus computed working time.',
      resolve: (r) => r.written,
    }),
    outcome: t.field({ type: WriteOutcomeEnum, resolve: (r) => r.outcome }),
    requestId: t.string({
      description: 'Recorded at payload.request.id of every event written.',
      resolve: (r) => r.requestId,
    }),
  }),
})

const LogEventsRejectedType = builder.objectRef<Rejected>('LogEventsRejected').implement({
  description: 'The batch was invalid; nothing of it was stored.',
  isTypeOf: (value) => (value as Rejected).kind === 'rejected',
  fields: (t) => ({
    message: t.string({ resolve: (r) => r.message }),
    errors: t.field({ type: [FieldProblemType], resolve: (r) => r.errors }),
  }),
})

const LogEventsResult = builder.unionType('LogEventsResult', {
  types: [LogEventsSuccessType, LogEventsRejectedType],
})

builder.mutationField('logEvents', (t) =>
  t.field({
    type: LogEventsResult,
    description:
      'Sends a client batch, exactly as POST /api/events (same validation, working time and identity rules).',
    args: { batch: t.arg({ type: ClientBatchInput, required: true }) },
    resolve: async (_root, { batch }, ctx): Promise<Logged | Rejected> => {
      const result = await ctx.ingest.clientBatch(batch, ctx.access, ctx.ingestRequest, {
        echo: false,
        names: camelNames,
      })
      if (result.ok) {
        return { kind: 'logged', written: result.written, outcome: result.outcome, requestId: ctx.requestId }
      }
      return { kind: 'rejected', message: summarize(result.errors), errors: result.errors }
    },
  }),
)

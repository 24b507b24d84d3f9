import { cvatServerEvent, drfJson } from './cvat-wire.js'
import type { AnnotationChanges, SavedObject } from './objects.js'
import type { DemoJob, DemoProject, DemoTask } from './work-items.js'
import type { Random } from './random.js'
import type { ServerSend } from './sends.js'
import type { DemoOrganization, DemoPerson } from './world.js'

/**
 * The rows CVAT's server logs for the requests the simulated people make
 * (docs/cvat-compatibility.md#scopes, docs/cvat-compatibility.md#server-events-and-request-ids), in
 * CVAT's own wire format (cvat-wire.ts: epoch-seconds string times, payload as JSON text). Every
 * row of one request, cascades included, carries that request's id at `payload.request.id`, with
 * the browser's user agent as CVAT records it.
 */
interface RowFields {
  readonly projectId?: number
  readonly taskId?: number
  readonly jobId?: number
  readonly objName?: string
  readonly objId?: number
  readonly objVal?: string
  readonly count?: number
}

/** One request of `actor`: rows share its id; `atMs` is when CVAT's server logs them. */
export class ServerRequest {
  private readonly rows: Record<string, unknown>[] = []
  private readonly request: { id: string; user_agent: string }

  private readonly atMs: number

  constructor(
    private readonly actor: DemoPerson,
    atMs: number,
    rng: Random,
  ) {
    this.atMs = Math.round(atMs)
    this.request = { id: rng.uuid(), user_agent: actor.platform.userAgent }
  }

  row(scope: string, fields: RowFields, payload: Record<string, unknown> = {}): this {
    const a = this.actor
    this.rows.push(
      cvatServerEvent(
        scope,
        // Rows of one request are logged a millisecond apart, in the order CVAT's signals fire.
        this.atMs + this.rows.length,
        drfJson({ ...payload, request: this.request }),
        {
          obj_id: fields.objId ?? null,
          obj_name: fields.objName ?? null,
          obj_val: fields.objVal ?? null,
          count: fields.count ?? null,
          org_id: a.orgId,
          org_slug: a.orgSlug,
          project_id: fields.projectId ?? null,
          task_id: fields.taskId ?? null,
          job_id: fields.jobId ?? null,
          user_id: a.id,
          user_name: a.username,
          user_email: a.email,
        },
      ),
    )
    return this
  }

  send(): ServerSend {
    return { kind: 'server', atMs: this.atMs, rows: this.rows }
  }
}

const jobIds = (job: DemoJob) => ({ projectId: job.project.id, taskId: job.task.id, jobId: job.id })

/** The organization and one membership request per member, as when the team was set up. */
export function organizationCreated(org: DemoOrganization, atMs: number, rng: Random): ServerSend[] {
  const [owner, ...others] = org.members as [DemoPerson, ...DemoPerson[]]
  const sends = [new ServerRequest(owner, atMs, rng).row('create:organization', { objId: org.id }).send()]
  others.forEach((member, i) => {
    const request = new ServerRequest(owner, atMs + (i + 1) * 1_000, rng)
    sends.push(request.row('create:membership', { objId: member.id, objVal: member.orgRole }).send())
  })
  return sends
}

export function projectCreated(
  actor: DemoPerson,
  project: DemoProject,
  atMs: number,
  rng: Random,
): ServerSend {
  return new ServerRequest(actor, atMs, rng)
    .row('create:project', { projectId: project.id, objId: project.id }, { name: project.name })
    .send()
}

/** `create:task` with its `create:job`s: one request, one id. */
export function taskCreated(actor: DemoPerson, task: DemoTask, atMs: number, rng: Random): ServerSend {
  const request = new ServerRequest(actor, atMs, rng).row(
    'create:task',
    { projectId: task.project.id, taskId: task.id, objId: task.id },
    { name: task.name },
  )
  for (const job of task.jobs) request.row('create:job', { ...jobIds(job), objId: job.id })
  return request.send()
}

/** A user as CVAT's serializer renders it, printed by Python's `str()` (CVAT's obj_val of a changed assignee). */
export function pythonUserText(person: DemoPerson): string {
  const [first = '', last = ''] = person.username.split('.')
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
  return `{'url': 'http://localhost:8080/api/users/${person.id}', 'id': ${person.id}, 'username': '${person.username}', 'first_name': '${cap(first)}', 'last_name': '${last.toUpperCase()}.'}`
}

/** Python's `str()` of a timezone-aware datetime, as CVAT prints `updated_date`. */
function pythonDate(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00:00`
}

const lastUpdate = new WeakMap<DemoJob, number>()

/**
 * `update:job` as CVAT logs it: one row per changed field, `obj_name` the field, `obj_val` the new
 * value printed by Python (`str()`), `obj_id` the field's id where it has one (the new assignee's
 * user id), `payload.old_value` the value before; every change also changes `updated_date`, which
 * gets its own row. One request.
 */
export function jobChanged(
  actor: DemoPerson,
  job: DemoJob,
  changes: readonly { field: string; value: string; id?: number | null; old: unknown }[],
  atMs: number,
  rng: Random,
): ServerSend {
  const request = new ServerRequest(actor, atMs, rng)
  for (const change of changes) {
    request.row(
      'update:job',
      {
        ...jobIds(job),
        ...(change.id == null ? {} : { objId: change.id }),
        objName: change.field,
        objVal: change.value,
      },
      { old_value: change.old },
    )
  }
  const previous = lastUpdate.get(job) ?? job.createdAtMs
  request.row(
    'update:job',
    { ...jobIds(job), objName: 'updated_date', objVal: pythonDate(atMs) },
    { old_value: pythonDate(previous) },
  )
  lastUpdate.set(job, atMs)
  return request.send()
}

export function jobAssigned(actor: DemoPerson, job: DemoJob, atMs: number, rng: Random): ServerSend {
  const assignee = job.assignee
  return jobChanged(
    actor,
    job,
    [
      {
        field: 'assignee',
        value: assignee ? pythonUserText(assignee) : 'None',
        id: assignee?.id ?? null,
        old: null,
      },
    ],
    atMs,
    rng,
  )
}

/** `update:job` of stage and state (what a review or a completed job changes). */
export function jobUpdated(
  actor: DemoPerson,
  job: DemoJob,
  changes: Readonly<Record<string, string>>,
  before: Readonly<Record<string, string>>,
  atMs: number,
  rng: Random,
): ServerSend {
  return jobChanged(
    actor,
    job,
    Object.entries(changes).map(([field, value]) => ({ field, value, old: before[field] ?? null })),
    atMs,
    rng,
  )
}

/** Deleting a project deletes its tasks and their jobs: one request id for the whole cascade. */
export function projectDeleted(
  actor: DemoPerson,
  project: DemoProject,
  tasks: readonly DemoTask[],
  atMs: number,
  rng: Random,
): ServerSend {
  const request = new ServerRequest(actor, atMs, rng).row('delete:project', {
    projectId: project.id,
    objId: project.id,
  })
  for (const task of tasks)
    request.row('delete:task', { projectId: project.id, taskId: task.id, objId: task.id })
  for (const job of tasks.flatMap((t) => t.jobs)) request.row('delete:job', { ...jobIds(job), objId: job.id })
  return request.send()
}

/** CVAT's `filter_shape_data`: what a save event's payload says of each object. */
function shapeData(object: SavedObject, frame = object.frame): Record<string, unknown> {
  return { id: object.id, frame, attributes: [], label_id: object.labelId }
}

function itemOf(kind: 'shapes' | 'tracks' | 'tags', object: SavedObject): Record<string, unknown> {
  if (kind !== 'tracks') return shapeData(object)
  const keyframes = object.keyframes ?? [object.frame]
  return {
    ...shapeData(object),
    shapes: keyframes.map((frame, i) => ({ id: object.id * 10 + i, frame, attributes: [] })),
  }
}

/**
 * The annotation rows of a request, as CVAT's `handle_annotations_change` logs them: per action,
 * one row of tags, and one row per shape type of shapes and of tracks (`obj_name` the type),
 * `count` the objects and `payload` their ids, frames, attributes and labels.
 */
export function annotationRows(request: ServerRequest, job: DemoJob, changes: AnnotationChanges): number {
  const kind = job.annotation
  let rows = 0
  for (const action of ['create', 'update', 'delete'] as const) {
    const objects = changes[action === 'create' ? 'created' : action === 'update' ? 'updated' : 'deleted']
    const byType = new Map<string, SavedObject[]>()
    for (const o of objects) byType.set(o.shape, [...(byType.get(o.shape) ?? []), o])
    for (const [type, list] of byType) {
      request.row(
        `${action}:${kind}`,
        { ...jobIds(job), count: list.length, ...(kind === 'tags' ? {} : { objName: type }) },
        { [kind]: list.map((o) => itemOf(kind, o)) },
      )
      rows++
    }
  }
  return rows
}

/** What CVAT's server logs for a job save: its annotation changes; null when there were none. */
export function annotationsSaved(
  actor: DemoPerson,
  job: DemoJob,
  changes: AnnotationChanges,
  atMs: number,
  rng: Random,
): ServerSend | null {
  const request = new ServerRequest(actor, atMs, rng)
  return annotationRows(request, job, changes) > 0 ? request.send() : null
}

/** An import of annotations into a task (`import:dataset`): the objects it creates share its request id. */
export function datasetImported(
  actor: DemoPerson,
  task: DemoTask,
  created: ReadonlyMap<DemoJob, SavedObject[]>,
  atMs: number,
  rng: Random,
): ServerSend {
  const request = new ServerRequest(actor, atMs, rng).row(
    'import:dataset',
    { projectId: task.project.id, taskId: task.id },
    { format: 'COCO 1.0' },
  )
  for (const [job, objects] of created)
    annotationRows(request, job, { created: objects, updated: [], deleted: [] })
  return request.send()
}

/** A model run on a job (`call:function`, CVAT's automatic annotation): its objects share its request id. */
export function functionCalled(
  actor: DemoPerson,
  job: DemoJob,
  functionId: string,
  created: SavedObject[],
  atMs: number,
  rng: Random,
): ServerSend {
  const request = new ServerRequest(actor, atMs, rng).row('call:function', jobIds(job), {
    function: { id: functionId },
    target: 'job',
  })
  annotationRows(request, job, { created, updated: [], deleted: [] })
  return request.send()
}

/** A reviewer opens an issue with its first comment: one request. */
export function issueCreated(
  actor: DemoPerson,
  job: DemoJob,
  issueId: number,
  atMs: number,
  rng: Random,
): ServerSend {
  return new ServerRequest(actor, atMs, rng)
    .row('create:issue', { ...jobIds(job), objId: issueId })
    .row('create:comment', { ...jobIds(job), objId: issueId * 10 + 1 })
    .send()
}

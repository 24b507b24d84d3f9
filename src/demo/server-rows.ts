import { cvatServerEvent, drfJson } from './cvat-wire.js'
import type { DemoJob, DemoProject, DemoTask } from './work-items.js'
import type { Random } from './random.js'
import type { ServerSend } from './sends.js'
import type { DemoOrganization, DemoPerson } from './world.js'

/**
 * The rows CVAT's server logs for the requests the simulated people make (spec §2 and §5), in
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

export function jobAssigned(actor: DemoPerson, job: DemoJob, atMs: number, rng: Random): ServerSend {
  const assignee = job.assignee
  return new ServerRequest(actor, atMs, rng)
    .row('update:job', {
      ...jobIds(job),
      objId: job.id,
      objName: 'assignee',
      objVal: String(assignee?.id ?? ''),
    })
    .send()
}

/** `update:job`, one row per changed field (CVAT logs each field), one request. */
export function jobUpdated(
  actor: DemoPerson,
  job: DemoJob,
  changes: Readonly<Record<string, string>>,
  atMs: number,
  rng: Random,
): ServerSend {
  const request = new ServerRequest(actor, atMs, rng)
  for (const [field, value] of Object.entries(changes)) {
    request.row('update:job', { ...jobIds(job), objId: job.id, objName: field, objVal: value })
  }
  return request.send()
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

export interface AnnotationChanges {
  created: number
  updated: number
  deleted: number
}

/** What CVAT's server logs for a job save: `create|update|delete` of shapes, tracks or tags with counts. */
export function annotationsSaved(
  actor: DemoPerson,
  job: DemoJob,
  changes: AnnotationChanges,
  atMs: number,
  rng: Random,
): ServerSend | null {
  const kind = job.annotation
  const request = new ServerRequest(actor, atMs, rng)
  let any = false
  for (const [action, count] of [
    ['create', changes.created],
    ['update', changes.updated],
    ['delete', changes.deleted],
  ] as const) {
    if (count <= 0) continue
    request.row(`${action}:${kind}`, { ...jobIds(job), count })
    any = true
  }
  return any ? request.send() : null
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

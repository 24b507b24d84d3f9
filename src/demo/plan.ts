import { DAY, HOUR, MINUTE } from './calendar.js'
import { JobBoard } from './job-board.js'
import { PROJECT_TEMPLATES, SHAPES_OF } from './names.js'
import { ObjectRegistry, type SavedObject } from './objects.js'
import { Random } from './random.js'
import type { ServerSend } from './sends.js'
import {
  datasetImported,
  jobAssigned,
  organizationCreated,
  projectCreated,
  projectDeleted,
  taskCreated,
} from './server-rows.js'
import { estimatedJobHours, KIND_MODELS } from './work-model.js'
import type { DemoJob, DemoProject, DemoTask } from './work-items.js'
import type { DemoOrganization, DemoPerson, DemoWorld } from './world.js'

/**
 * The work the owners set up: projects, tasks created over the window (enough jobs for the
 * team's hours), jobs assigned round-robin to the workers, pre-annotations imported into some
 * tasks, and a sandbox project created and deleted again. The server events of all this are the
 * plan's own stream of sends. The plan also holds what the people then share: the jobs' objects
 * and where each job is in the review flow.
 */
export interface DemoPlan {
  readonly seed: string
  readonly projects: readonly DemoProject[]
  readonly tasks: readonly DemoTask[]
  readonly jobs: readonly DemoJob[]
  /** Jobs assigned to each person (by person index), in creation order. */
  readonly jobsOf: ReadonlyMap<number, readonly DemoJob[]>
  /** Every live job of each organization (by org index), in creation order. */
  readonly jobsIn: ReadonlyMap<number, readonly DemoJob[]>
  /** The owners' server events, in time order. */
  readonly sends: readonly ServerSend[]
  /** The objects of every job (imported ones from the start); behaviours add and remove. */
  readonly objects: ObjectRegistry
  /** Each job's stage and state; behaviours move jobs through review. */
  readonly board: JobBoard
}

export type { DemoJob, DemoProject, DemoTask } from './work-items.js'

export interface Window {
  readonly startMs: number
  readonly endMs: number
}

interface Ids {
  project: number
  task: number
  job: number
}

export function planWork(world: DemoWorld, window: Window): DemoPlan {
  const ids: Ids = { project: 0, task: 0, job: 0 }
  const objects = new ObjectRegistry()
  const projects: DemoProject[] = []
  const tasks: DemoTask[] = []
  const sends: ServerSend[] = []
  const jobsIn = new Map<number, DemoJob[]>()
  for (const org of world.organizations) {
    const orgPlan = planOrganization(world.seed, org, window, ids, objects)
    projects.push(...orgPlan.projects)
    tasks.push(...orgPlan.tasks)
    sends.push(...orgPlan.sends)
    jobsIn.set(
      org.index,
      orgPlan.tasks.filter((t) => !orgPlan.deleted.has(t)).flatMap((t) => t.jobs),
    )
  }
  const jobs = tasks.flatMap((t) => t.jobs)
  const jobsOf = new Map<number, DemoJob[]>()
  for (const job of jobs) {
    if (job.assignee) jobsOf.set(job.assignee.index, [...(jobsOf.get(job.assignee.index) ?? []), job])
  }
  const inWindow = sends.filter((s) => s.atMs <= window.endMs).sort((a, b) => a.atMs - b.atMs)
  return {
    seed: world.seed,
    projects,
    tasks,
    jobs,
    jobsOf,
    jobsIn,
    sends: inWindow,
    objects,
    board: new JobBoard(),
  }
}

/** Share of tasks (of still images) whose creator imports pre-annotations right after creating them. */
const IMPORT_RATE = 0.3

function planOrganization(
  seed: string,
  org: DemoOrganization,
  window: Window,
  ids: Ids,
  objects: ObjectRegistry,
) {
  const rng = new Random(seed, 'plan', org.index)
  const owner = org.members[0] as DemoPerson
  const workers = org.members.filter((m) => m.orgRole === 'worker')
  const creators = org.members.filter((m) => m.orgRole === 'owner' || m.orgRole === 'maintainer')
  const sends: ServerSend[] = organizationCreated(org, window.startMs + org.index * 17_000, rng)
  let clock = window.startMs + org.index * 17_000 + MINUTE

  const templates = rng.shuffle(PROJECT_TEMPLATES)
  const projectCount = Math.min(3, 1 + Math.floor(workers.length / 4))
  const projects = templates.slice(0, projectCount).map((t) => {
    const project: DemoProject = { id: ++ids.project, org, name: t.name, kind: t.kind, labels: t.labels }
    sends.push(projectCreated(owner, project, (clock += rng.int(10, 60) * 1000), rng))
    return project
  })

  // Enough jobs for everyone's hours (with a margin), a third of them there from the start.
  const workdays = ((window.endMs - window.startMs) / DAY) * (5 / 7)
  const meanJobHours = projects.reduce((sum, p) => sum + estimatedJobHours(p.kind), 0) / projects.length
  const jobsNeeded = Math.ceil((workers.length * workdays * 6.5 * 1.25) / meanJobHours) + workers.length
  const meanJobsPerTask = 4
  const taskCount = Math.max(projects.length, Math.ceil(jobsNeeded / meanJobsPerTask))
  const initial = Math.max(projects.length, Math.ceil(taskCount / 3), Math.ceil(workers.length / 2))
  const creationTimes: number[] = []
  for (let i = 0; i < taskCount; i++) {
    if (i < initial) creationTimes.push((clock += rng.int(15, 60) * 1000))
    else {
      const at =
        window.startMs + ((window.endMs - window.startMs) * (i - initial + 1)) / (taskCount - initial + 1)
      creationTimes.push(officeTime(owner, Math.round(at) + rng.int(0, 90) * MINUTE))
    }
  }

  const tasks: DemoTask[] = []
  let nextWorker = 0
  creationTimes
    .filter((at) => at < window.endMs)
    .sort((a, b) => a - b)
    .forEach((at, i) => {
      const project = projects[i % projects.length] as DemoProject
      const creator = rng.pick(creators)
      const task = newTask(project, `${project.name} #${Math.floor(i / projects.length) + 1}`, at, ids)
      const model = KIND_MODELS[project.kind]
      for (let j = rng.int(2, 6); j > 0; j--) {
        const assignee = workers[nextWorker++ % workers.length] ?? null
        addJob(task, rng.int(...model.framesPerJob), assignee, ids)
      }
      tasks.push(task)
      sends.push(taskCreated(creator, task, at, rng))
      task.jobs.forEach((job, k) =>
        sends.push(jobAssigned(creator, job, at + (k + 1) * rng.int(4, 20) * 1000, rng)),
      )
      if (project.kind !== 'video' && rng.chance(IMPORT_RATE)) {
        const created = new Map<DemoJob, SavedObject[]>()
        for (const job of task.jobs) {
          created.set(
            job,
            Array.from({ length: rng.int(10, 60) }, () =>
              objects.create(
                job,
                rng.int(0, job.frames - 1),
                rng.pick(SHAPES_OF[project.kind]),
                rng.pick(project.labels),
                rng,
              ),
            ),
          )
        }
        sends.push(datasetImported(creator, task, created, at + (task.jobs.length + 2) * 20_000, rng))
      }
    })

  const deleted = new Set<DemoTask>()
  const sandbox = planSandbox(owner, org, window, ids, rng)
  if (sandbox) {
    projects.push(sandbox.project)
    tasks.push(sandbox.task)
    deleted.add(sandbox.task)
    sends.push(...sandbox.sends)
  }
  return { projects, tasks, sends, deleted }
}

/** A project tried out and deleted again the next working day: a delete cascade with one request id. */
function planSandbox(owner: DemoPerson, org: DemoOrganization, window: Window, ids: Ids, rng: Random) {
  const createdAt = officeTime(owner, window.startMs + 2 * HOUR)
  const deletedAt = officeTime(owner, createdAt + DAY)
  if (deletedAt >= window.endMs) return null
  const project: DemoProject = { id: ++ids.project, org, name: 'Sandbox', kind: 'boxes', labels: ['object'] }
  const task = newTask(project, 'Sandbox upload test', createdAt + 2 * MINUTE, ids)
  addJob(task, 20, null, ids)
  addJob(task, 20, null, ids)
  return {
    project,
    task,
    sends: [
      projectCreated(owner, project, createdAt, rng),
      taskCreated(owner, task, task.createdAtMs, rng),
      projectDeleted(owner, project, [task], deletedAt, rng),
    ],
  }
}

function newTask(project: DemoProject, name: string, createdAtMs: number, ids: Ids): DemoTask {
  return { id: ++ids.task, project, name, createdAtMs, jobs: [] }
}

function addJob(task: DemoTask, frames: number, assignee: DemoPerson | null, ids: Ids): void {
  task.jobs.push({
    id: ++ids.job,
    task,
    project: task.project,
    frames,
    assignee,
    createdAtMs: task.createdAtMs,
    annotation: KIND_MODELS[task.project.kind].annotation,
  })
}

/** The first moment at or after `ms` that falls in the person's office hours (weekdays 9:00–17:00 local). */
export function officeTime(person: DemoPerson, ms: number): number {
  const offset = person.utcOffsetMinutes * MINUTE
  let local = ms + offset
  for (let i = 0; i < 8; i++) {
    const midnight = Math.floor(local / DAY) * DAY
    const weekday = new Date(midnight).getUTCDay()
    const minute = (local - midnight) / MINUTE
    const weekend = weekday === 0 || weekday === 6
    if (!weekend && minute >= 9 * 60 && minute < 17 * 60) return local - offset
    // Before opening on a weekday: later that morning; otherwise the next morning.
    local = midnight + (!weekend && minute < 9 * 60 ? 0 : DAY) + 9 * HOUR + 10 * MINUTE
  }
  return local - offset
}

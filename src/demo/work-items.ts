import type { ProjectKind } from './names.js'
import type { DemoOrganization, DemoPerson } from './world.js'

/** The projects, tasks and jobs the demo's organizations work on (planned in plan.ts). */
export interface DemoProject {
  readonly id: number
  readonly org: DemoOrganization
  readonly name: string
  readonly kind: ProjectKind
  readonly labels: readonly string[]
}

export interface DemoTask {
  readonly id: number
  readonly project: DemoProject
  readonly name: string
  readonly createdAtMs: number
  readonly jobs: DemoJob[]
}

export interface DemoJob {
  readonly id: number
  readonly task: DemoTask
  readonly project: DemoProject
  readonly frames: number
  readonly assignee: DemoPerson | null
  /** When the job exists (its task's creation). */
  readonly createdAtMs: number
  readonly annotation: 'shapes' | 'tracks' | 'tags'
}

import {
  adjustObject,
  adjustView,
  changeFrame,
  clickButton,
  drawObject,
  openJob,
  reportException,
  saveJob,
} from './actions.js'
import { jobsAvailable, waitForWork, type Behaviour } from './behaviour.js'
import { MINUTE } from './calendar.js'
import type { Desk } from './desk.js'
import type { DemoJob, DemoPlan } from './plan.js'
import { issueCreated, jobUpdated, type AnnotationChanges } from './server-rows.js'
import type { DemoPerson } from './world.js'

/**
 * A supervisor reviewing: opens a recent job of the organization, steps through its frames
 * faster than an annotator, fixes a few objects, raises an issue now and then, and at the end
 * of a review accepts or rejects the job.
 */
export function reviewer(person: DemoPerson, plan: DemoPlan): Behaviour {
  const changes: AnnotationChanges = { created: 0, updated: 0, deleted: 0 }
  let issues = 0
  return {
    shapeDay: (blocks, rng) => blocks.filter(() => rng.chance(0.8)),
    runBlock(desk) {
      while (desk.busy) {
        const recent = jobsAvailable(plan, person, desk.t).slice(-30)
        if (recent.length === 0) {
          if (waitForWork(desk, plan.jobsIn.get(person.orgIndex) ?? [])) continue
          return
        }
        const job = desk.rng.pick(recent)
        desk.workOn(job)
        if (desk.job !== null) desk.think(desk.rng.between(4, 30) * 1000)
        openJob(desk, job, 'review', 0)
        reviewJob(desk, job, changes, () => person.id * 10_000 + ++issues)
        if (changes.created + changes.updated + changes.deleted > 0) saveJob(desk, job, changes)
        if (desk.rng.chance(0.4)) {
          const verdict = desk.rng.chance(0.8)
            ? { stage: 'acceptance', state: 'completed' }
            : { stage: 'annotation', state: 'rejected' }
          desk.server(desk.rng.int(200, 2_000), (at) => jobUpdated(person, job, verdict, at, desk.rng))
        }
      }
    },
  }
}

function reviewJob(desk: Desk, job: DemoJob, changes: AnnotationChanges, nextIssueId: () => number): void {
  const { rng } = desk
  const pace = desk.person.habits.pace
  const until = desk.t + rng.between(15, 60) * MINUTE
  let frame = 0
  while (desk.busy && desk.t < until && frame < job.frames - 1) {
    const step = rng.weighted([
      [1, 0.6],
      [5, 0.25],
      [10, 0.15],
    ] as const)
    const to = Math.min(job.frames - 1, frame + step)
    changeFrame(desk, frame, to, step, 1)
    frame = to
    desk.think(pace * rng.logNormal(5_000, 0.6, 90_000))
    if (rng.chance(0.15)) adjustView(desk)
    if (rng.chance(0.08)) {
      adjustObject(desk, pace)
      changes.updated++
    }
    if (rng.chance(0.02)) {
      drawObject(desk, job, 8_000, pace)
      changes.created++
    }
    if (rng.chance(0.015)) {
      desk.emit('delete:object', { count: 1 })
      changes.deleted++
    }
    if (rng.chance(0.006)) {
      const issueId = nextIssueId()
      desk.think(rng.logNormal(20_000, 0.5, 95_000))
      desk.server(rng.int(100, 900), (at) => issueCreated(desk.person, job, issueId, at, rng))
    }
    if (rng.chance(0.02)) clickButton(desk)
    if (rng.chance(0.001)) reportException(desk)
    if (rng.chance(0.003)) desk.away(rng.between(101, 300) * 1000)
  }
}

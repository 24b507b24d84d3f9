import { adjustView, changeFrame, clickButton, openJob } from './actions.js'
import { jobsAvailable, shortSittings, waitForWork, type Behaviour } from './behaviour.js'
import type { DemoPlan } from './plan.js'
import type { DemoPerson } from './world.js'

/** Owners and maintainers: a few short looks a day at a job or two, mostly skimming. */
export function visitor(person: DemoPerson, plan: DemoPlan): Behaviour {
  return {
    shapeDay: (blocks, rng) => shortSittings(blocks, rng, 0.5),
    runBlock(desk) {
      const { rng } = desk
      while (desk.busy) {
        const jobs = jobsAvailable(plan, person, desk.t)
        if (jobs.length === 0) {
          if (waitForWork(desk, plan.jobsIn.get(person.orgIndex) ?? [])) continue
          return
        }
        const job = rng.pick(jobs)
        desk.workOn(job)
        desk.think(rng.between(5, 40) * 1000)
        openJob(desk, job, 'annotation', 0)
        let frame = 0
        for (let looks = rng.int(3, 25); looks > 0 && desk.busy && frame < job.frames - 1; looks--) {
          const step = rng.pick([1, 10, 10, 50])
          const to = Math.min(job.frames - 1, frame + step)
          changeFrame(desk, frame, to, step, 1)
          frame = to
          desk.think(rng.logNormal(4_000, 0.6, 60_000))
          if (rng.chance(0.2)) adjustView(desk)
          if (rng.chance(0.1)) clickButton(desk)
        }
        if (rng.chance(0.05)) desk.away(rng.between(101, 600) * 1000)
      }
    },
  }
}

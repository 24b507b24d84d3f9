import { startTestApp, type TestApp } from './app.js'
import { CvatEmulator } from './cvat-emulator.js'

/**
 * A CVAT (the emulation) next to the service, for tests through the app: people with CVAT's ids,
 * two organizations, and `walt`, a CVAT user with the name of one in the accounts file.
 */
export const CVAT_PEOPLE = {
  /** CVAT admin (the `admin` group). */
  cora: { id: 101, groups: ['admin'] },
  /** Privilege `user`, owner of lab. */
  owen: { id: 102, groups: ['user'] },
  /** Privilege `worker`, worker in lab. */
  wes: { id: 103, groups: ['worker'] },
  /** Privilege `user`, supervisor in lab. */
  sam: { id: 104, groups: ['user'] },
  /** No global role, worker in lab. */
  nina: { id: 105, groups: [] },
  /** Privilege `user`, owner of far. */
  otto: { id: 106, groups: ['user'] },
  /** Same username as the accounts file's walt (id 13), with a password of CVAT's. */
  walt: { id: 113, groups: ['user'] },
} as const

export type CvatPerson = keyof typeof CVAT_PEOPLE

export const CVAT_ORGS = { lab: 50, far: 51 } as const

export const cvatPassword = (person: CvatPerson) => `${person}-cvat-pw`

export function cvatBasic(person: CvatPerson, password = cvatPassword(person)): string {
  return `Basic ${Buffer.from(`${person}:${password}`).toString('base64')}`
}

/** A CVAT person's request headers (basic auth), optionally in an organization. */
export function asCvat(person: CvatPerson, org?: string): Record<string, string> {
  return { authorization: cvatBasic(person), ...(org ? { 'x-organization': org } : {}) }
}

export interface CvatWorld {
  readonly cvat: CvatEmulator
  readonly t: TestApp
  stop(): Promise<void>
}

/** Starts the emulation with the people above and the app with `CVAT_URL` pointing at it. */
export async function startCvatWorld(env: Record<string, string> = {}): Promise<CvatWorld> {
  const cvat = await CvatEmulator.start()
  for (const [username, person] of Object.entries(CVAT_PEOPLE)) {
    cvat.addUser({
      username,
      id: person.id,
      password: cvatPassword(username as CvatPerson),
      groups: [...person.groups],
    })
  }
  cvat.addOrganization({ slug: 'lab', name: 'Lab', owner: 'owen', id: CVAT_ORGS.lab })
  cvat.addOrganization({ slug: 'far', name: 'Far', owner: 'otto', id: CVAT_ORGS.far })
  cvat.addMembership('lab', 'wes', 'worker')
  cvat.addMembership('lab', 'sam', 'supervisor')
  cvat.addMembership('lab', 'nina', 'worker')
  // An invitation wes has not accepted: no role in far.
  cvat.addMembership('far', 'wes', 'maintainer', { active: false })
  const t = await startTestApp({ CVAT_URL: cvat.url, ...env })
  return {
    cvat,
    t,
    async stop() {
      await t.stop()
      await cvat.stop()
    },
  }
}

/** A CVAT client batch of one `change:frame` event a minute ago, as CVAT's UI posts it. */
export function frameBatch(jobId: number) {
  const now = Date.now()
  return {
    events: [
      {
        scope: 'change:frame',
        timestamp: new Date(now - 60_000).toISOString(),
        duration: 1_000,
        job_id: jobId,
        count: 1,
      },
    ],
    previous_event: null,
    timestamp: new Date(now).toISOString(),
  }
}

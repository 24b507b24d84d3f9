import {
  generateIntoStore,
  prepareDemoAccounts,
  type DemoPerson,
  type Simulation,
} from '../../src/demo/index.js'
import { startTestApp, type TestApp, type TestAppOptions } from './app.js'
import { PEOPLE } from './fixtures.js'

/** The demo people's password in these worlds. */
export const DEMO_PASSWORD = 'demo-password-1'

export interface WebWorld {
  readonly t: TestApp
  /** The service on a port of its own (127.0.0.1). */
  readonly url: string
  readonly simulation: Simulation
  readonly admin: { readonly username: string; readonly password: string }
  /** The owner of the demo's first organization, and a worker in it. */
  readonly owner: DemoPerson
  readonly worker: DemoPerson
  /** Every stored event: the simulated days plus its server events. */
  readonly events: number
}

/**
 * The service filled by the demo simulator (a team at work for `days` up to now, its exceptions
 * included), its accounts in the accounts file with DEMO_PASSWORD, listening on a free port: what
 * the browser tests and the web benchmark open pages of.
 */
export async function startWebWorld(
  options: { users?: number; days?: number; env?: Record<string, string>; app?: TestAppOptions } = {},
): Promise<WebWorld> {
  const t = await startTestApp(options.env ?? {}, options.app ?? {})
  const generated = await generateIntoStore(t.app.services.store, {
    seed: 'web',
    users: options.users ?? 8,
    days: options.days ?? 2,
    endMs: Date.now(),
  })
  const simulation = generated.simulation
  await prepareDemoAccounts(t.config.accountsFile, simulation.world, DEMO_PASSWORD)
  await t.app.services.directory.refresh(true)
  const first = simulation.world.organizations[0]
  const owner = first?.members.find((p) => p.orgRole === 'owner')
  const worker = first?.members.find((p) => p.orgRole === 'worker')
  if (!owner || !worker) throw new Error('the demo world has no owner or worker in its first organization')
  const url = (await t.app.start()).url.replace('localhost', '127.0.0.1')
  return {
    t,
    url,
    simulation,
    admin: { username: PEOPLE.admin.username, password: PEOPLE.admin.password },
    owner,
    worker,
    events: generated.summary.events,
  }
}

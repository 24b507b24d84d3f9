import type { GlobalRole, OrgRole } from '../auth/accounts-file.js'
import { FIRST_NAMES, LAST_INITIALS, ORGANIZATIONS, PLATFORMS, type Platform } from './names.js'
import { Random } from './random.js'

/**
 * The simulated team: organizations and the people in them, with the habits that shape their
 * days. Names and ids depend only on a person's position (so accounts are the same for every
 * seed and a re-run finds them); habits, time zones and browsers depend on the seed.
 */
export interface DemoWorld {
  readonly seed: string
  readonly organizations: readonly DemoOrganization[]
  readonly people: readonly DemoPerson[]
}

export interface DemoOrganization {
  readonly index: number
  /** CVAT's organization id. */
  readonly id: number
  readonly slug: string
  readonly name: string
  readonly utcOffsetMinutes: number
  /** Members in role order: owner first, then supervisors, maintainers, workers. */
  readonly members: readonly DemoPerson[]
}

export interface DemoPerson {
  readonly index: number
  /** CVAT's user id (and the account's id). */
  readonly id: number
  readonly username: string
  readonly email: string
  readonly globalRole: GlobalRole
  readonly orgIndex: number
  readonly orgId: number
  readonly orgSlug: string
  readonly orgRole: OrgRole
  /** Where the person works: local time = UTC + this. */
  readonly utcOffsetMinutes: number
  readonly habits: Habits
  readonly platform: Platform
}

export interface Habits {
  /** Usual arrival, minutes after local midnight. */
  readonly startMinute: number
  /** Usual time at the desk per day, lunch and breaks excluded. */
  readonly presenceMinutes: number
  /** Multiplies thinking and drawing times: below 1 is faster. */
  readonly pace: number
  /** Share of weekdays off (leave, sickness, other work). */
  readonly dayOffRate: number
}

/** Demo ids sit in their own range, clear of the few accounts an operator creates by hand. */
export const DEMO_USER_ID_BASE = 1000
export const DEMO_ORG_ID_BASE = 100
export const DEMO_EMAIL_DOMAIN = 'example.com'
/** Fewest people an organization needs: an owner, a supervisor and a worker. */
export const MIN_USERS = 3
export const MAX_USERS = FIRST_NAMES.length * LAST_INITIALS.length

/** The username of the demo person at `index`: `amara.k`, `bruno.m`, … (unique below MAX_USERS). */
export function demoUsername(index: number): string {
  const first = FIRST_NAMES[index % FIRST_NAMES.length] as string
  // For one first name (indexes 50 apart) the initial moves by 52 ≡ 7 (mod 15): all 15 differ.
  const initial = LAST_INITIALS[(index + 2 * Math.floor(index / FIRST_NAMES.length)) % LAST_INITIALS.length]
  return `${first}.${initial}`
}

export interface WorldOptions {
  /**
   * Moves every office's clock so that this moment is a Monday mid-morning there (people keep
   * their differences from their office). A live run then shows a team at work at once, whatever
   * the real day and hour; event times stay real.
   */
  readonly mondayMorningAt?: number
}

export function buildWorld(seed: string, users: number, options: WorldOptions = {}): DemoWorld {
  if (!Number.isInteger(users) || users < MIN_USERS || users > MAX_USERS) {
    throw new RangeError(`users must be an integer from ${MIN_USERS} to ${MAX_USERS}, got ${users}`)
  }
  const sizes = organizationSizes(users)
  const people: DemoPerson[] = []
  const organizations: DemoOrganization[] = []
  sizes.forEach((size, orgIndex) => {
    const template = ORGANIZATIONS[orgIndex] as (typeof ORGANIZATIONS)[number]
    const org = {
      index: orgIndex,
      id: DEMO_ORG_ID_BASE + orgIndex + 1,
      slug: template.slug,
      name: template.name,
      utcOffsetMinutes:
        options.mondayMorningAt === undefined
          ? template.utcOffsetMinutes
          : mondayMorningOffset(options.mondayMorningAt) - orgIndex * 20,
    }
    const members: DemoPerson[] = []
    for (let i = 0; i < size; i++) {
      const person = makePerson(seed, people.length, org, roleAt(i, size))
      members.push(person)
      people.push(person)
    }
    organizations.push({ ...org, members })
  })
  return { seed, organizations, people }
}

/** The UTC offset (minutes, possibly days long) at which `ms` is Monday 10:00. */
function mondayMorningOffset(ms: number): number {
  const day = 24 * 60
  const week = 7 * day
  // 1970-01-01 was a Thursday, three days after a Monday.
  const sinceMonday = (((Math.floor(ms / 60_000) + 3 * day) % week) + week) % week
  return 10 * 60 - sinceMonday
}

/** Several organizations of unequal size, each with at least MIN_USERS people. */
function organizationSizes(users: number): number[] {
  const count = Math.max(
    1,
    Math.min(ORGANIZATIONS.length, Math.ceil(users / 5), Math.floor(users / MIN_USERS)),
  )
  const weights = Array.from({ length: count }, (_, i) => 1 / Math.sqrt(i + 1))
  const total = weights.reduce((a, b) => a + b, 0)
  const spare = users - MIN_USERS * count
  const sizes = weights.map((w) => MIN_USERS + Math.floor((spare * w) / total))
  for (let i = 0; sizes.reduce((a, b) => a + b, 0) < users; i = (i + 1) % count)
    sizes[i] = (sizes[i] ?? 0) + 1
  return sizes
}

/** Roles by position in an organization: one owner, supervisors for every ~10 people, a maintainer in larger teams. */
function roleAt(position: number, size: number): OrgRole {
  const supervisors = Math.max(1, Math.round(size / 10))
  if (position === 0) return 'owner'
  if (position <= supervisors) return 'supervisor'
  if (position === supervisors + 1 && size >= 8) return 'maintainer'
  return 'worker'
}

function makePerson(
  seed: string,
  index: number,
  org: { index: number; id: number; slug: string; utcOffsetMinutes: number },
  orgRole: OrgRole,
): DemoPerson {
  const rng = new Random(seed, 'person', index)
  const username = demoUsername(index)
  // A few people work remotely, an hour or two away from their office.
  const remoteShift = rng.chance(0.15) ? rng.pick([-120, -60, 60, 120]) : 0
  return {
    index,
    id: DEMO_USER_ID_BASE + index + 1,
    username,
    email: `${username}@${DEMO_EMAIL_DOMAIN}`,
    globalRole: orgRole === 'worker' ? 'worker' : 'user',
    orgIndex: org.index,
    orgId: org.id,
    orgSlug: org.slug,
    orgRole,
    utcOffsetMinutes: org.utcOffsetMinutes + remoteShift,
    habits: {
      startMinute: Math.round(rng.normal(9 * 60, 30, 7 * 60 + 30, 10 * 60)),
      presenceMinutes: Math.round(rng.normal(7.5 * 60, 25, 6.5 * 60, 8 * 60)),
      pace: rng.logNormal(1, 0.2, 1.6),
      dayOffRate: rng.between(0.02, 0.08),
    },
    platform: rng.weighted(PLATFORMS.map((p) => [p, p.weight] as const)),
  }
}

import { builder } from '../builder.js'
import type { IdentitySource } from '../auth/identity-source.js'
import type { CvatOrgMembership } from '../auth/cvat/identity.js'

type CvatSource = Extract<IdentitySource, { kind: 'cvat' }>

export const IdentitySourceEnum = builder.enumType('IdentitySource', {
  description: 'Where the caller was authenticated.',
  values: {
    ACCOUNTS_FILE: { value: 'accounts-file', description: "This service's accounts file." },
    CVAT: { value: 'cvat', description: 'CVAT (CVAT_URL), with the credentials the request sent.' },
  } as const,
})

const CvatCredentialEnum = builder.enumType('CvatCredential', {
  description: 'How the caller proved to CVAT who it is.',
  values: {
    BASIC: { value: 'basic', description: 'Username and password (HTTP basic).' },
    TOKEN: { value: 'token', description: 'A legacy API key (`Authorization: Token …`).' },
    BEARER: {
      value: 'bearer',
      description: 'A personal access token (`Authorization: Bearer …`): reads and exports, sends no events.',
    },
    SESSION: { value: 'session', description: "CVAT's `sessionid` cookie (a browser signed in to CVAT)." },
  } as const,
})

const CvatMembershipType = builder.objectRef<CvatOrgMembership>('CvatMembership').implement({
  description: 'An active membership in a CVAT organization (invitations not yet accepted give none).',
  fields: (t) => ({
    orgId: t.exposeID('orgId'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    role: t.exposeString('role', { description: 'owner, maintainer, supervisor or worker.' }),
  }),
})

/** What CVAT said about the caller, as CVAT's rules read it. */
export const CvatIdentityType = builder.objectRef<CvatSource>('CvatIdentity').implement({
  description: 'Who CVAT says the caller is: the roles its access rules for events are applied with.',
  fields: (t) => ({
    privilege: t.string({
      nullable: true,
      description:
        "Global role: the highest of admin, user, worker among the user's CVAT groups; null when none (may send events, not read them).",
      resolve: (s) => s.identity.privilege,
    }),
    superuser: t.boolean({
      description: 'A CVAT superuser may enter organizations it is not a member of.',
      resolve: (s) => s.identity.isSuperuser,
    }),
    analyticsAccess: t.boolean({
      description: "CVAT's per-user switch for its analytics (`has_analytics_access`).",
      resolve: (s) => s.identity.hasAnalyticsAccess,
    }),
    credential: t.field({ type: CvatCredentialEnum, resolve: (s) => s.identity.credential }),
    memberships: t.field({ type: [CvatMembershipType], resolve: (s) => [...s.identity.memberships] }),
    confirmedAt: t.field({
      type: 'DateTime',
      description:
        'When CVAT last confirmed these credentials (cached answers are reused for CVAT_AUTH_TTL_S).',
      resolve: (s) => s.confirmedAtMs,
    }),
    freshUntil: t.field({
      type: 'DateTime',
      description: 'Until when the cached answer is used without asking CVAT again.',
      resolve: (s) => s.freshUntilMs,
    }),
  }),
})

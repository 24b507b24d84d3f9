import { builder } from '../builder.js'
import type { Access } from '../auth/principal.js'
import { CvatIdentityType, IdentitySourceEnum } from './cvat-identity.js'

/** The authenticated caller, as the policy sees it. */
export const ViewerType = builder.objectRef<Access>('Viewer').implement({
  description: 'The authenticated principal and the organization context of the request.',
  fields: (t) => ({
    userId: t.id({ resolve: (a) => a.principal.user.id }),
    username: t.string({ resolve: (a) => a.principal.user.username }),
    role: t.string({
      nullable: true,
      description:
        'Global role: admin, user or worker; null for a CVAT user in none of those CVAT groups (who may send events but not read them).',
      resolve: (a) => a.principal.user.role,
    }),
    orgSlug: t.string({ nullable: true, resolve: (a) => a.org?.slug ?? null }),
    orgRole: t.string({
      nullable: true,
      description: 'Membership role in the organization context.',
      resolve: (a) => a.orgRole,
    }),
    tokenKind: t.string({
      nullable: true,
      description: 'Set when authenticated with an API token (`read` for a CVAT personal access token).',
      resolve: (a) => a.principal.token?.kind ?? null,
    }),
    source: t.field({
      type: IdentitySourceEnum,
      description: 'Where the identity came from: the accounts file or CVAT.',
      resolve: (a) => a.principal.source.kind,
    }),
    cvat: t.field({
      type: CvatIdentityType,
      nullable: true,
      description: 'What CVAT resolved (roles, memberships, credential kind); null for the accounts file.',
      resolve: (a) => (a.principal.source.kind === 'cvat' ? a.principal.source : null),
    }),
  }),
})

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerType,
    description: 'Who the API thinks you are.',
    resolve: (_root, _args, ctx) => ctx.access,
  }),
)

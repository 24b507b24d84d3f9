import { builder } from '../builder.js'
import type { Access } from '../auth/principal.js'

/** The authenticated caller, as the policy sees it. */
export const ViewerType = builder.objectRef<Access>('Viewer').implement({
  description: 'The authenticated principal and the organization context of the request.',
  fields: (t) => ({
    userId: t.id({ resolve: (a) => a.principal.user.id }),
    username: t.string({ resolve: (a) => a.principal.user.username }),
    role: t.string({
      description: 'Global role: admin, user or worker.',
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
      description: 'Set when authenticated with an API token.',
      resolve: (a) => a.principal.token?.kind ?? null,
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

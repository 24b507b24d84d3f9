import { builder } from '../builder.js'
import type { Access } from '../auth/principal.js'
import { CvatIdentityType, IdentitySourceEnum } from './cvat-identity.js'

interface SwitchableOrganization {
  readonly id: string
  readonly slug: string
  readonly name: string
  readonly role: string | null
}

const ViewerOrganizationType = builder.objectRef<SwitchableOrganization>('ViewerOrganization').implement({
  description: 'An organization the viewer may work in, and the viewer’s role there.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    role: t.exposeString('role', {
      nullable: true,
      description: 'owner, maintainer, supervisor or worker; null for an admin who is not a member.',
    }),
  }),
})

/** The organizations of the switcher: CVAT's memberships for a CVAT identity, else what the accounts file gives. */
function switchable(a: Access): SwitchableOrganization[] {
  if (a.principal.source.kind === 'cvat') {
    return a.principal.source.identity.memberships.map((m) => ({
      id: m.orgId,
      slug: m.slug,
      name: m.name,
      role: m.role,
    }))
  }
  return (a.organizations ?? []).map(({ org, role }) => ({
    id: org.id,
    slug: org.slug,
    name: org.name,
    role,
  }))
}

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
    organizations: t.field({
      type: [ViewerOrganizationType],
      description:
        'The organizations you may switch to, as in CVAT’s switcher: your memberships and your role in each (an accounts-file admin: every organization).',
      resolve: switchable,
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

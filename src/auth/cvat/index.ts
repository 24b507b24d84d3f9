/**
 * CVAT as the identity provider: what the request context uses. A sign-in, in the order of its
 * steps, each a file: `credential` (what the request presents and what to forward), `identity-cache`
 * (CVAT's answer reused, shared by concurrent look-ups, kept through outages), `identity` (looking
 * the caller up: `client` asks CVAT's API, `responses` reads its answers, `errors` says what a
 * failed one means), `organization` (which organization the request works in, and the caller's
 * place there), `access` (the principal and access it all makes). Then, on every read, `rules`
 * (CVAT's who may send, view, export; `roles` their orders) and `csrf` (cookie-signed requests).
 * `provider` wires the steps together.
 */
export { CvatCredential, SESSION_COOKIE, type CvatCredentialKind } from './credential.js'
export { csrfTokenMatches, CSRF_COOKIE, CSRF_HEADER } from './csrf.js'
export type { CvatAccessOutcome } from './access.js'
export type { CvatIdentity, CvatOrgMembership } from './identity.js'
export { readOrgSelector, type OrgSelector, type OrgSelectorInput } from './organization.js'
export { cvatPrincipal, CVAT_PAT_TOKEN_ID } from './access.js'
export {
  createCvatIdentityProvider,
  type CvatIdentityProvider,
  type CvatProviderOptions,
} from './provider.js'
export type { CvatResolution } from './identity-cache.js'
export { cvatInputOf, cvatMay, cvatVisibility, type CvatAccessInput, type EventAction } from './rules.js'
export type { CvatIdentityStats } from './identity-cache.js'

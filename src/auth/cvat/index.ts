/**
 * CVAT as the identity provider (issue 15): what the request context uses. The files beside this
 * one each do one job: credential (what to forward), client (CVAT's API), lookup and identity
 * (CVAT's answers to an identity), resolver (cache, sharing, outages), org-selector and placement
 * (the org context), rules (who may send, view, export), csrf (cookie-authenticated mutations).
 */
export { CvatCredential, SESSION_COOKIE, type CvatCredentialKind } from './credential.js'
export { csrfTokenMatches, CSRF_COOKIE, CSRF_HEADER } from './csrf.js'
export type { CvatAccessOutcome } from './access.js'
export type { CvatIdentity, CvatOrgMembership } from './identity.js'
export { readOrgSelector, type OrgSelector, type OrgSelectorInput } from './org-selector.js'
export { cvatPrincipal, CVAT_PAT_TOKEN_ID } from './principal.js'
export {
  createCvatIdentityProvider,
  type CvatIdentityProvider,
  type CvatProviderOptions,
} from './provider.js'
export type { CvatResolution } from './resolver.js'
export { cvatInputOf, cvatMay, cvatVisibility, type CvatAccessInput, type EventAction } from './rules.js'
export type { CvatIdentityStats } from './stats.js'

import { callRest } from './client'
import { cookie } from './base'

export interface SignedIn {
  readonly username: string
  readonly role: string
  readonly expiresAt: string
  readonly csrfToken: string
}

/** Opens a session with an account's username and password (POST /api/session). */
export async function signIn(username: string, password: string): Promise<SignedIn> {
  const answer = await callRest<SignedIn>('POST', '/api/session', { username, password })
  if (!answer) throw new Error('no answer to the sign-in')
  return answer
}

/** Ends the session (DELETE /api/session clears its cookies). */
export async function signOut(): Promise<void> {
  await callRest('DELETE', '/api/session')
}

/** Whether this page is signed in by this service's session (not CVAT's): only that one can sign out here. */
export function hasOwnSession(): boolean {
  return cookie('aa_csrftoken') !== null
}

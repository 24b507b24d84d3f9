import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from '../api/client'
import { signIn } from '../api/session'
import { Logo } from '../components/logo'

/** Why the form shows: a first visit, a session that ended, or a sign-out. */
export type SignInReason = 'none' | 'expired' | 'ended' | 'signed-out'

const REASONS: Record<SignInReason, string | null> = {
  none: null,
  expired: 'Your session expired. Sign in again to go on where you were.',
  ended: 'Your session ended because your account changed. Sign in again.',
  'signed-out': 'You are signed out.',
}

/** The sign-in form: an account's username and password, as the API takes them. */
export function SignIn({ reason, onSignedIn }: { reason: SignInReason; onSignedIn: () => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const first = useRef<HTMLInputElement>(null)
  useEffect(() => {
    document.title = 'Sign in · Annotation analytics'
    first.current?.focus()
  }, [])
  const notice = REASONS[reason]
  return (
    <main class="sign-in" id="main">
      <form
        class="sign-in-card"
        aria-labelledby="sign-in-title"
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          setError(null)
          signIn(username.trim(), password).then(
            () => {
              setPassword('')
              onSignedIn()
            },
            (failure: unknown) => {
              setBusy(false)
              setError(
                failure instanceof ApiError
                  ? failure.code === 'TOO_MANY_REQUESTS'
                    ? 'Too many failed sign-ins. Wait a few minutes, then try again.'
                    : failure.message.charAt(0).toUpperCase() + failure.message.slice(1) + '.'
                  : 'The sign-in failed. Try again.',
              )
            },
          )
        }}
      >
        <div class="brand large" aria-hidden="true">
          <Logo /> Annotation analytics
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        {notice && (
          <p class="notice" role="status" data-reason={reason}>
            {notice}
          </p>
        )}
        <label>
          Username
          <input
            ref={first}
            name="username"
            autoComplete="username"
            required
            value={username}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">
          The same username and password as the API. Signed in to CVAT? Open these pages at CVAT's address:
          your CVAT session works here as it is.
        </p>
      </form>
    </main>
  )
}

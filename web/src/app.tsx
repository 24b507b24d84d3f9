import type { ComponentType } from 'preact'
import { LocationProvider, useLocation } from 'preact-iso'
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import { BASE_PATH, servicePath } from './api/base'
import { whenUnauthenticated } from './api/client'
import { hasOwnSession, signOut } from './api/session'
import { useQuery } from './api/use-query'
import { Logo } from './components/logo'
import { ErrorState, Loading } from './components/states'
import { WebViewerDocument } from './gql/graphql'
import { PAGES, type Page } from './pages'
import { NotFound } from './pages/not-found'
import { SignIn, type SignInReason } from './pages/sign-in'
import { RefreshContext, VIEW_KEYS } from './state/dashboard'
import { carried, useSearch } from './state/url'
import { ViewerContext, type Viewer } from './state/viewer'

export function App() {
  return (
    <LocationProvider {...(BASE_PATH ? { scope: BASE_PATH } : {})}>
      <Root />
    </LocationProvider>
  )
}

const REFRESH_MS: Record<string, number> = { '30s': 30_000, '1m': 60_000, '5m': 300_000 }

/**
 * Who is signed in decides what shows: the sign-in form (with why), a designed screen for an
 * organization the viewer may not enter, or the pages. A viewer in exactly one organization who
 * opens a link without one lands in it.
 */
function Root() {
  const [params, update] = useSearch()
  const org = params.get('org') || null
  const [version, setVersion] = useState(0)
  const [signedOut, setSignedOut] = useState<SignInReason | null>(null)
  const viewer = useQuery(WebViewerDocument, signedOut ? null : {}, org, version)

  useEffect(() => {
    whenUnauthenticated((error) => {
      const session = error.details.session
      setSignedOut(session === 'expired' || session === 'ended' ? session : 'none')
    })
  }, [])

  const data = viewer.data?.viewer
  useEffect(() => {
    if (!data || params.has('org')) return
    const memberships = data.organizations.filter((o) => o.role !== null)
    const only = memberships.length === 1 ? memberships[0] : undefined
    if (only) update({ org: only.slug }, { replace: true })
  }, [data, params])

  if (signedOut !== null || viewer.error?.code === 'UNAUTHENTICATED') {
    return (
      <SignIn
        reason={signedOut ?? 'none'}
        onSignedIn={() => {
          setSignedOut(null)
          setVersion((v) => v + 1)
        }}
      />
    )
  }
  if (viewer.error?.code === 'FORBIDDEN') {
    return (
      <Forbidden
        message={viewer.error.message}
        onSignOut={() => {
          void signOut().finally(() => setSignedOut('signed-out'))
        }}
      />
    )
  }
  if (viewer.error) {
    return (
      <main class="full-page" id="main">
        <ErrorState error={viewer.error} />
      </main>
    )
  }
  if (!data || (viewer.loading && data.orgSlug !== org)) return <Loading label="Signing in" />
  return (
    <ViewerContext.Provider value={data}>
      <Refreshing>
        <Shell
          viewer={data}
          onSignOut={() => {
            void signOut().finally(() => setSignedOut('signed-out'))
          }}
        />
      </Refreshing>
    </ViewerContext.Provider>
  )
}

/** The refresh clock: the button and auto-refresh (`refresh` in the URL) move it. */
function Refreshing({ children }: { children: preact.ComponentChildren }) {
  const [params] = useSearch()
  const [tick, setTick] = useState(0)
  const refresh = useCallback(() => setTick((t) => t + 1), [])
  const every = REFRESH_MS[params.get('refresh') ?? '']
  useEffect(() => {
    if (!every) return
    const timer = setInterval(refresh, every)
    return () => clearInterval(timer)
  }, [every, refresh])
  const value = useMemo(() => ({ tick, refresh }), [tick, refresh])
  return <RefreshContext.Provider value={value}>{children}</RefreshContext.Provider>
}

function pageOf(path: string): Page | undefined {
  const local = path.slice(BASE_PATH.length) || '/'
  return PAGES.find((p) => p.path === local)
}

function Shell({ viewer, onSignOut }: { viewer: Viewer; onSignOut: () => void }) {
  const location = useLocation()
  const [params, update] = useSearch()
  const page = pageOf(location.path)
  useEffect(() => {
    document.title = `${page?.title ?? 'Not found'} · Annotation analytics`
  }, [page])
  const Component: ComponentType = page?.component ?? NotFound
  const sections = [...new Set(PAGES.map((p) => p.section))]
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to the page
      </a>
      <header class="topbar">
        <a class="brand" href={`${BASE_PATH}/${carried(params, VIEW_KEYS)}`}>
          <Logo /> Annotation analytics
        </a>
        <OrgSwitcher viewer={viewer} onChange={(slug) => update({ org: slug }, { path: location.path })} />
        <StoreStatus />
        <div class="user">
          <span class="user-name" data-user={viewer.username}>
            {viewer.username}
          </span>
          <span class="user-role">{viewer.orgRole ?? viewer.role ?? 'no role'}</span>
          {hasOwnSession() ? (
            <button type="button" class="link" onClick={onSignOut}>
              Sign out
            </button>
          ) : (
            <span class="muted small">signed in by {viewer.source === 'CVAT' ? 'CVAT' : 'credentials'}</span>
          )}
        </div>
      </header>
      <nav class="sidebar" aria-label="Pages">
        {sections.map((section) => (
          <div key={section} class="nav-section">
            {section && <p class="nav-heading">{section}</p>}
            <ul>
              {PAGES.filter((p) => p.section === section).map((p) => (
                <li key={p.path}>
                  <a
                    href={`${BASE_PATH}${p.path}${carried(params, VIEW_KEYS)}`}
                    aria-current={page === p ? 'page' : undefined}
                  >
                    {p.title}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <div class="nav-section">
          <ul>
            <li>
              <a href={servicePath('/graphql')}>GraphQL API</a>
            </li>
          </ul>
        </div>
      </nav>
      <main id="main" class="content" tabIndex={-1}>
        <Component />
      </main>
    </div>
  )
}

/** CVAT's switcher: the personal workspace and the organizations the viewer may work in. */
function OrgSwitcher({ viewer, onChange }: { viewer: Viewer; onChange: (slug: string) => void }) {
  const current = viewer.orgSlug ?? ''
  return (
    <label class="org-switcher">
      <span class="visually-hidden">Organization</span>
      <select
        value={current}
        onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
        data-org={current}
      >
        <option value="">Personal workspace</option>
        {viewer.organizations.map((o) => (
          <option key={o.slug} value={o.slug}>
            {o.name} ({o.slug}){o.role ? ` · ${o.role}` : ''}
          </option>
        ))}
      </select>
    </label>
  )
}

/** A banner while the store is away (`/ready` answers 503): figures cannot show until it is back. */
function StoreStatus() {
  const [down, setDown] = useState<string | null>(null)
  const location = useLocation()
  useEffect(() => {
    const controller = new AbortController()
    fetch(servicePath('/ready'), { signal: controller.signal }).then(
      async (response) => {
        if (response.ok) return setDown(null)
        const body = (await response.json().catch(() => ({}))) as { cause?: string }
        setDown(body.cause ?? 'unavailable')
      },
      () => undefined,
    )
    return () => controller.abort()
  }, [location.url])
  if (!down) return null
  return (
    <p class="store-banner" role="alert" data-store="unavailable">
      The event store is unavailable: events are kept and figures show again when it is back.
    </p>
  )
}

/** An organization the viewer may not enter (a link from someone else, a membership that ended). */
function Forbidden({ message, onSignOut }: { message: string; onSignOut: () => void }) {
  const [, update] = useSearch()
  useEffect(() => {
    document.title = 'Not permitted · Annotation analytics'
  }, [])
  return (
    <main class="full-page" id="main">
      <div class="brand large">
        <Logo /> Annotation analytics
      </div>
      <div class="state state-error forbidden" data-code="FORBIDDEN">
        <h1 class="state-title">You may not see this</h1>
        <p>{message.charAt(0).toUpperCase() + message.slice(1)}.</p>
        <p class="muted">
          The address names an organization you are not a member of. Ask one of its owners to invite you, or
          carry on in your own workspace.
        </p>
        <p class="actions">
          <button type="button" class="primary" onClick={() => update({ org: '' })}>
            Go to your personal workspace
          </button>
          {hasOwnSession() && (
            <button type="button" onClick={onSignOut}>
              Sign in as someone else
            </button>
          )}
        </p>
      </div>
    </main>
  )
}

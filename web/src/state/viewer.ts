import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { WebViewerQuery } from '../gql/graphql'

export type Viewer = WebViewerQuery['viewer']

export const ViewerContext = createContext<Viewer | null>(null)

/** The signed-in viewer (pages render only once it is known). */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext)
  if (!viewer) throw new Error('useViewer outside the signed-in app')
  return viewer
}

/** What the viewer sees here, in words: the scope the API applies to every figure. */
export function scopeOf(viewer: Viewer): string {
  if (viewer.role === 'admin') return viewer.orgSlug ? `everything in ${viewer.orgSlug}` : 'everything'
  if (viewer.orgSlug && (viewer.orgRole === 'owner' || viewer.orgRole === 'maintainer')) {
    return `everyone in ${viewer.orgSlug}`
  }
  return viewer.orgSlug ? `your own events in ${viewer.orgSlug}` : 'your own events'
}

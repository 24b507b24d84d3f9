import { renderGraphiQL as renderBundled } from '@graphql-yoga/render-graphiql'

type Options = Parameters<typeof renderBundled>[0]

const rendered = new Map<string, string>()

/**
 * GraphiQL with its scripts inlined (no CDN: the explorer works on closed networks). The page is
 * several megabytes and the same for every request with the same options, so it is rendered once.
 */
export function renderGraphiQL(options?: Options): string {
  const key = JSON.stringify(options ?? {})
  let page = rendered.get(key)
  if (page === undefined) {
    page = renderBundled(options)
    rendered.set(key, page)
  }
  return page
}

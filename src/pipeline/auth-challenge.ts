import type { Plugin } from 'graphql-yoga'

/**
 * A 401 carries a basic-auth challenge, so a browser on GraphiQL (which loads without
 * credentials) asks for them and retries, and curl users see which scheme to use. Requests a
 * page's script sends with `X-Requested-With` (the web pages do) get none: the browser would
 * answer it with its own sign-in dialog over the page's form.
 */
export function useBasicAuthChallenge(): Plugin {
  return {
    onResponse({ request, response }) {
      if (response.status !== 401 || response.headers.has('www-authenticate')) return
      if (request.headers.has('x-requested-with')) return
      response.headers.set('WWW-Authenticate', 'Basic realm="annotation-analytics", charset="UTF-8"')
    },
  }
}

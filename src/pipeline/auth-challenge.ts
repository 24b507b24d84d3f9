import type { Plugin } from 'graphql-yoga'

/**
 * A 401 carries a basic-auth challenge, so a browser on GraphiQL (which loads without
 * credentials) asks for them and retries, and curl users see which scheme to use.
 */
export function useBasicAuthChallenge(): Plugin {
  return {
    onResponse({ response }) {
      if (response.status === 401 && !response.headers.has('www-authenticate')) {
        response.headers.set('WWW-Authenticate', 'Basic realm="annotation-analytics", charset="UTF-8"')
      }
    },
  }
}

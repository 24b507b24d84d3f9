import { GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { AppError } from '../errors.js'
import { decodeUtf8, readBody } from '../transports/rest/body.js'

const JSON_TYPES = new Set(['application/json', 'application/graphql+json'])

/**
 * Reads GraphQL's JSON bodies as the REST routes read theirs: at most MAX_BODY_BYTES (413 past
 * it, without buffering the rest; yoga's own parser has no limit), decoded as strict UTF-8 (400),
 * then parsed. Replaces yoga's parser for POST JSON; its errors keep yoga's shape and codes.
 */
export function useGraphQLBodyLimits(maxBodyBytes: number): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      if (request.method !== 'POST' || !JSON_TYPES.has(type)) return
      setRequestParser(async (req) => {
        let text: string
        try {
          text = decodeUtf8(await readBody(req, maxBodyBytes))
        } catch (error) {
          throw error instanceof AppError ? requestError(error.message, error.status, error.code) : error
        }
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          throw requestError('POST body sent invalid JSON.', 400, 'BAD_REQUEST')
        }
        if (body === null || typeof body !== 'object') {
          throw requestError('POST body is expected to be an object (or a batch)', 400, 'BAD_REQUEST')
        }
        return body as Record<string, unknown>
      })
    },
  }
}

function requestError(message: string, status: number, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } })
}

import { GraphQLError, Lexer, parse, Source, TokenKind, type DocumentNode, type ParseOptions } from 'graphql'

/**
 * Deepest nesting of braces, brackets and parentheses a document may have. graphql-js parses
 * recursively, a few stack frames per level, so this keeps the parser far from the stack's end;
 * GraphiQL's own introspection query nests about 15 levels.
 */
export const MAX_DOCUMENT_NESTING = 64

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L])
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R])

/**
 * Parses a GraphQL document within limits checked before the recursive parse begins: at most
 * `maxTokens` tokens and MAX_DOCUMENT_NESTING levels, counted by graphql-js's own lexer (which
 * does not recurse); graphql-js's `maxTokens` then holds the parse itself to the same count.
 */
export function parseWithLimits(
  source: string | Source,
  maxTokens: number,
  options?: ParseOptions,
): DocumentNode {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source)
  let tokens = 0
  let depth = 0
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    tokens += 1
    if (tokens > maxTokens) throw limitError(`the document has more than ${maxTokens} tokens`, token.start)
    if (OPENING.has(token.kind)) {
      depth += 1
      if (depth > MAX_DOCUMENT_NESTING) {
        throw limitError(`the document nests deeper than ${MAX_DOCUMENT_NESTING} levels`, token.start)
      }
    } else if (CLOSING.has(token.kind)) depth -= 1
  }
  return parse(source, { ...options, maxTokens })
}

function limitError(message: string, position: number): GraphQLError {
  return new GraphQLError(`Syntax Error: ${message}.`, {
    positions: [position],
    extensions: { code: 'TOO_COMPLEX', http: { status: 400 } },
  })
}

import { GraphQLError, Kind, visit, BREAK, type ASTNode, type DocumentNode } from 'graphql'
import type { Plugin } from 'graphql-yoga'

/**
 * Names the argument or input field of a literal that validation refused (`filter.from: DateTime
 * "…" is not a time …`, `extensions.field`), as REST errors name theirs: graphql-js reports a
 * scalar's refusal of a literal with its location only. (A refused variable is named by graphql-js
 * itself: `Variable "$f" got invalid value … at "f.from"`.)
 */
export function useInputFieldNames(): Plugin {
  return {
    onValidate({ params }) {
      return ({ valid, result, setResult }) => {
        if (valid) return
        const document = params.documentAST as DocumentNode
        setResult((result as readonly GraphQLError[]).map((error) => named(error, document)))
      }
    },
  }
}

function named(error: GraphQLError, document: DocumentNode): GraphQLError {
  const node = error.nodes?.[0]
  if (!node || !isValue(node) || error.extensions.field !== undefined) return error
  const field = inputPath(document, node)
  if (!field) return error
  return new GraphQLError(`${field}: ${error.message}`, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', field },
  })
}

const VALUE_KINDS = new Set<string>([
  Kind.STRING,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
])

const isValue = (node: ASTNode) => VALUE_KINDS.has(node.kind)

/** The nodes that name where a literal goes. */
const NAMED_KINDS = new Set<string>([Kind.ARGUMENT, Kind.OBJECT_FIELD])

/** `argument.field.field` of a literal: the names of the argument and input fields around it. */
function inputPath(document: DocumentNode, target: ASTNode): string | undefined {
  let path: string | undefined
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node !== target) return undefined
      // `ancestors` stops short of the parent.
      const names = [...ancestors, parent].flatMap((a) =>
        a && !Array.isArray(a) && NAMED_KINDS.has((a as ASTNode).kind)
          ? [(a as { name: { value: string } }).name.value]
          : [],
      )
      path = names.length > 0 ? names.join('.') : undefined
      return BREAK
    },
  })
  return path
}

/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    edges {\n      cursor\n      node {\n        id\n        scope\n        objName\n        objId\n        objVal\n        source\n        timestamp\n        count\n        duration\n        projectId\n        taskId\n        jobId\n        userId\n        userName\n        userEmail\n        orgId\n        orgSlug\n        payload\n        accessTokenId\n        requestId\n        ingestedAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.EventsDocument,
    "query ExportStatus($queryId: ID!) {\n  export(queryId: $queryId) {\n    queryId\n    status\n    format\n    includeExceptions\n    from\n    to\n    rowsWritten\n    rowsPlanned\n    bytesWritten\n    error\n    filename\n    downloadUrl\n    createdAt\n    startedAt\n    finishedAt\n    expiresAt\n  }\n}": typeof types.ExportStatusDocument,
    "mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {\n  startExport(\n    filter: $filter\n    format: $format\n    includeExceptions: $includeExceptions\n    filename: $filename\n  ) {\n    queryId\n    export {\n      status\n    }\n  }\n}": typeof types.StartExportDocument,
    "query Viewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    tokenKind\n  }\n}": typeof types.ViewerDocument,
};
const documents: Documents = {
    "query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    edges {\n      cursor\n      node {\n        id\n        scope\n        objName\n        objId\n        objVal\n        source\n        timestamp\n        count\n        duration\n        projectId\n        taskId\n        jobId\n        userId\n        userName\n        userEmail\n        orgId\n        orgSlug\n        payload\n        accessTokenId\n        requestId\n        ingestedAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.EventsDocument,
    "query ExportStatus($queryId: ID!) {\n  export(queryId: $queryId) {\n    queryId\n    status\n    format\n    includeExceptions\n    from\n    to\n    rowsWritten\n    rowsPlanned\n    bytesWritten\n    error\n    filename\n    downloadUrl\n    createdAt\n    startedAt\n    finishedAt\n    expiresAt\n  }\n}": types.ExportStatusDocument,
    "mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {\n  startExport(\n    filter: $filter\n    format: $format\n    includeExceptions: $includeExceptions\n    filename: $filename\n  ) {\n    queryId\n    export {\n      status\n    }\n  }\n}": types.StartExportDocument,
    "query Viewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    tokenKind\n  }\n}": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    edges {\n      cursor\n      node {\n        id\n        scope\n        objName\n        objId\n        objVal\n        source\n        timestamp\n        count\n        duration\n        projectId\n        taskId\n        jobId\n        userId\n        userName\n        userEmail\n        orgId\n        orgSlug\n        payload\n        accessTokenId\n        requestId\n        ingestedAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    edges {\n      cursor\n      node {\n        id\n        scope\n        objName\n        objId\n        objVal\n        source\n        timestamp\n        count\n        duration\n        projectId\n        taskId\n        jobId\n        userId\n        userName\n        userEmail\n        orgId\n        orgSlug\n        payload\n        accessTokenId\n        requestId\n        ingestedAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExportStatus($queryId: ID!) {\n  export(queryId: $queryId) {\n    queryId\n    status\n    format\n    includeExceptions\n    from\n    to\n    rowsWritten\n    rowsPlanned\n    bytesWritten\n    error\n    filename\n    downloadUrl\n    createdAt\n    startedAt\n    finishedAt\n    expiresAt\n  }\n}"): (typeof documents)["query ExportStatus($queryId: ID!) {\n  export(queryId: $queryId) {\n    queryId\n    status\n    format\n    includeExceptions\n    from\n    to\n    rowsWritten\n    rowsPlanned\n    bytesWritten\n    error\n    filename\n    downloadUrl\n    createdAt\n    startedAt\n    finishedAt\n    expiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {\n  startExport(\n    filter: $filter\n    format: $format\n    includeExceptions: $includeExceptions\n    filename: $filename\n  ) {\n    queryId\n    export {\n      status\n    }\n  }\n}"): (typeof documents)["mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {\n  startExport(\n    filter: $filter\n    format: $format\n    includeExceptions: $includeExceptions\n    filename: $filename\n  ) {\n    queryId\n    export {\n      status\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    tokenKind\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    tokenKind\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
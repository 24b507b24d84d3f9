import type { CodegenConfig } from '@graphql-codegen/cli'

const typed = {
  useTypeImports: true,
  emitLegacyCommonJSImports: false,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
  strictScalars: true,
}

// Typed documents for every operation in schema/operations (one named operation per file),
// checked against the printed schema. Tests, the REST shim and dashboards use these documents.
// The web frontend gets the same operations as strings (documentMode 'string'): it sends the text
// and needs no graphql runtime in the browser.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['schema/operations/*.graphql'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typed,
    },
    'web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: { ...typed, documentMode: 'string', emitLegacyCommonJSImports: true },
    },
  },
  hooks: { afterAllFileWrite: ['prettier --write'] },
}

export default config

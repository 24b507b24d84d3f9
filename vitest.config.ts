import { defineConfig } from 'vitest/config'

// Forks, not threads: chDB's native engine crashes in worker threads. Each fork loads the engine
// (~300 MB), so at most two run at once; one test file is one process and one data directory.
export default defineConfig({
  // graphql ships CJS (main) and ESM (module) builds. Node, and the packages vitest leaves to Node,
  // load the CJS one; without this alias vite would hand our sources the ESM one, and graphql
  // refuses to mix the two ("Cannot use GraphQLScalarType from another module or realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
})

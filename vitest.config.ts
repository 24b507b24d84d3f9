import { defineConfig } from 'vitest/config'

// Two kinds of test files, each run the way it is cheapest:
// - unit (tests/unit): no store, so on threads: one process, no native engine loaded;
// - everything else opens chDB, whose native engine crashes in worker threads: forks, at most two
//   at once (each loads the engine, ~300 MB); one test file is one process and one data directory.
// A unit test that opens a store belongs in tests/integration.
export default defineConfig({
  // graphql ships CJS (main) and ESM (module) builds. Node, and the packages vitest leaves to Node,
  // load the CJS one; without this alias vite would hand our sources the ESM one, and graphql
  // refuses to mix the two ("Cannot use GraphQLScalarType from another module or realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    maxWorkers: 2,
    // Hang guards, not speed checks: CI runs two suites at once on two cores, where a test that takes
    // 8 s alone can take 40 s (speed belongs in bench/).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], pool: 'threads' } },
      {
        extends: true,
        test: { name: 'store', include: ['tests/**/*.test.ts'], exclude: ['tests/unit/**'], pool: 'forks' },
      },
    ],
  },
})

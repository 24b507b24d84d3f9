import { defineConfig } from 'vitest/config'

// Two kinds of test files, each run the way it is cheapest:
// - unit (tests/unit): no store, so on threads: one process, no native engine loaded;
// - everything else opens chDB, whose native engine crashes in worker threads: forks, at most two
//   at once (each loads the engine, ~300 MB). A fork runs one file after another without isolation:
//   the engine and the modules load once per fork instead of once per file (about a sixth of the
//   suite's time). chDB serves one data directory at a time per process, so a file must close
//   every store it opens (each test file uses a fresh directory);
// - files that measure their process's memory run isolated, in a fork of their own.
// A unit test that opens a store belongs in tests/integration.
/** Test files whose assertions read the process's heap: other files' leftovers would skew them. */
const MEASURES_MEMORY = [
  'tests/integration/response-bytes.test.ts',
  'tests/integration/export-memory.test.ts',
]

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
        test: {
          name: 'store',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**', ...MEASURES_MEMORY],
          pool: 'forks',
          isolate: false,
        },
      },
      {
        extends: true,
        // gc() lets a memory test measure what an answer allocates, not when V8 last collected.
        test: { name: 'memory', include: MEASURES_MEMORY, pool: 'forks', execArgv: ['--expose-gc'] },
      },
    ],
  },
})

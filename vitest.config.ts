import { defineConfig } from 'vitest/config'

// Forks, not threads: chDB's native engine crashes in worker threads. Each fork loads the engine
// (~300 MB), so at most two run at once; one test file is one process and one data directory.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
})

import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The app's own alias (tsconfig paths, which the Remix compiler reads), for tests that load app code.
  resolve: { alias: { '~': path.resolve(import.meta.dirname, 'app') } },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: browser tests and server processes compete, so run files two at a time.
    maxWorkers: 2,
    minWorkers: 1,
  },
})

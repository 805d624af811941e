import { defineConfig } from 'vitest/config'

export default defineConfig({
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

import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Real libp2p nodes: generous per-test ceilings, every loop in the tests is bounded.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})

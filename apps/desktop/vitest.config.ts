import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // The fork, packaging and electronegativity tests start processes; two cores here.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})

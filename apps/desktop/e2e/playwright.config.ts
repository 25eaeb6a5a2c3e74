import { defineConfig } from '@playwright/test'

/**
 * The desktop app under Playwright's Electron support. Runs only where an Electron
 * binary exists: `ELECTRON_PATH=/path/to/electron npm run e2e -w @whatnext/desktop`
 * (after `npm run build -w @whatnext/web && npm run build -w @whatnext/desktop`).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list']],
})

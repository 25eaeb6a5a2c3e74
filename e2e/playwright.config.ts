import { defineConfig, devices } from '@playwright/test'
import { chromiumFlags, chromiumPath } from '../scripts/chromium-flags.mjs'

const port = Number(process.env.E2E_PORT ?? 4173)

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${port}`,
    launchOptions: { executablePath: chromiumPath, args: chromiumFlags },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `node ../scripts/serve.mjs --port ${port} --root ../apps/web/out`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
})

import { defineConfig, devices } from '@playwright/test'
import { chromiumFlags, chromiumPath, webrtcFlags } from '../scripts/chromium-flags.mjs'

const port = Number(process.env.E2E_PORT ?? 4173)
/** A relay for the collaboration specs; its addresses reach the app as /relays.json. */
const relayPort = Number(process.env.E2E_RELAY_PORT ?? 4174)
const relaysFile = `.relays-e2e-${relayPort}.json`

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One spec at a time: on this 2-core machine two parallel specs (each with its engine
  // worker, parse pool and, for collaboration, several browser profiles) starve each
  // other, and a keypress or a dropdown occasionally lands in a half-rendered frame.
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${port}`,
    launchOptions: { executablePath: chromiumPath, args: [...chromiumFlags, ...webrtcFlags] },
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `node ../packages/p2p/bin/whatnext-relay.mjs --port ${relayPort} --addr-file ${relaysFile}`,
      port: relayPort,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node ../scripts/serve.mjs --port ${port} --root ../apps/web/out --relays-file ${relaysFile}`,
      url: `http://localhost:${port}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
})

import { chromium, type Browser } from 'playwright-core'
import { chromiumFlags, chromiumPath, webrtcFlags } from '../../scripts/chromium-flags.mjs'

export { chromiumFlags, chromiumPath, webrtcFlags }

/** Headless Chromium with the project's flags (no sandbox, no GPU, loopback only). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: chromiumFlags,
    headless: true,
    timeout: 60_000,
  })
}

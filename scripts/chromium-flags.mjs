// Chromium flags for every browser run here (tests, benchmarks, Lighthouse): no sandbox
// (root in a container), no GPU, and no traffic to anything but loopback.
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
]

/** The Chromium executable: CHROME_PATH (set by scripts/chromium.sh) or Debian's. */
export const chromiumPath = process.env.CHROME_PATH || '/usr/bin/chromium'

/**
 * Playwright's own `--disable-features` list (playwright-core's chromiumSwitches): a
 * `--disable-features=` we pass replaces it, so ours repeats it.
 */
const playwrightDisabledFeatures = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
]

/**
 * Flags for WebRTC tests. In a test network namespace (WHATNEXT_NETNS=1): host addresses
 * are announced as they are (no mDNS names), so peers in the namespace reach each other.
 * Anywhere else: no UDP at all, so WebRTC never touches a real interface, and the app's
 * sync falls back to the relayed connection (loopback).
 */
export const webrtcFlags =
  process.env.WHATNEXT_NETNS === '1'
    ? [
        `--disable-features=${[...playwrightDisabledFeatures, 'WebRtcHideLocalIpsWithMdns'].join(',')}`,
      ]
    : ['--force-webrtc-ip-handling-policy=disable_non_proxied_udp']

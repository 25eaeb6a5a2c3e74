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

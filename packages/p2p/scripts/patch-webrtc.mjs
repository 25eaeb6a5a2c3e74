#!/usr/bin/env node
// Fixes a race in @libp2p/webrtc 6.0.33 (private-to-private/initiate-connection.js): the
// dialler waits for the `init` data channel's 'open' after the connection is up, but the
// answerer may already have opened and closed it, so about 1 dial in 20 hangs until its
// timeout. Verified fix: wait for 'open' or 'close', and only close/wait if not closed.
// See ../../shared/TESTING-WEBRTC.md. Idempotent; remove once upstream ships a fix.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const MARK = '/* whatnext: init-channel race fixed */'
const require = createRequire(import.meta.url)
let pkgDir
try {
  // The package's exports hide package.json: go up from its entry (dist/src/index.js).
  pkgDir = join(dirname(require.resolve('@libp2p/webrtc')), '..', '..')
} catch {
  process.exit(0) // not installed (yet): nothing to patch
}
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
const file = join(pkgDir, 'dist/src/private-to-private/initiate-connection.js')
const source = readFileSync(file, 'utf8')
if (source.includes(MARK)) process.exit(0)

const buggy =
  /if \(channel\.readyState !== 'open'\) \{\s*log\.trace\('wait for init channel to open'\);\s*await pEvent\(channel, 'open', \{\s*signal\s*\}\);\s*\}\s*log\.trace\('closing init channel'\);\s*channel\.close\(\);([\s\S]*?)await pEvent\(channel, 'close', \{\s*signal\s*\}\);/
if (!buggy.test(source)) {
  console.error(
    `patch-webrtc: @libp2p/webrtc ${version} no longer has the known race; drop this patch`,
  )
  process.exit(version === '6.0.33' ? 1 : 0)
}
const fixed = source.replace(
  buggy,
  (_m, between) =>
    `${MARK}
        if (channel.readyState === 'connecting') {
            log.trace('wait for init channel to open or close');
            await pEvent(channel, ['open', 'close'], { signal });
        }
        if (channel.readyState !== 'closed') {
            if (channel.readyState === 'open') {
                log.trace('closing init channel');
                channel.close();
            }${between.replace(/\n/g, '\n    ')}if (channel.readyState !== 'closed') {
                await pEvent(channel, 'close', { signal });
            }
        }`,
)
writeFileSync(file, fixed)
console.log(`patch-webrtc: patched @libp2p/webrtc ${version}`)

#!/usr/bin/env node
// Two fixes to @libp2p/webrtc 6.0.33, applied at install (idempotent; each is dropped once
// upstream ships its own fix — the script then says so and fails for 6.0.33 only):
//
// 1. private-to-private/initiate-connection.js: the dialler waits for the `init` data
//    channel's 'open' after the connection is up, but the answerer may already have
//    opened and closed it, so about 1 dial in 20 hangs until its timeout. Fix: wait for
//    'open' or 'close', and only close/wait if not closed. See ../../shared/TESTING-WEBRTC.md.
//
// 2. private-to-private/transport.js: every WebRTC connection adds a listener to the
//    transport's shutdown signal (to close the connection when the node stops) and
//    removes it on the RTCPeerConnection's 'close' event — which browsers never fire
//    (only node-datachannel's polyfill does). So each connection ever made stayed
//    reachable from the node until it stopped: its RTCPeerConnection, data channels,
//    muxer, streams and sync sessions (~0.1 MB and a peer connection per dial in the p2p
//    bench). Fix: also remove it when the libp2p connection closes.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
let pkgDir
try {
  // The package's exports hide package.json: go up from its entry (dist/src/index.js).
  pkgDir = join(dirname(require.resolve('@libp2p/webrtc')), '..', '..')
} catch {
  process.exit(0) // not installed (yet): nothing to patch
}
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))

const patches = [
  {
    name: 'init-channel race',
    mark: '/* whatnext: init-channel race fixed */',
    file: 'dist/src/private-to-private/initiate-connection.js',
    buggy:
      /if \(channel\.readyState !== 'open'\) \{\s*log\.trace\('wait for init channel to open'\);\s*await pEvent\(channel, 'open', \{\s*signal\s*\}\);\s*\}\s*log\.trace\('closing init channel'\);\s*channel\.close\(\);([\s\S]*?)await pEvent\(channel, 'close', \{\s*signal\s*\}\);/,
    fix: (mark) => (_m, between) =>
      `${mark}
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
  },
  {
    name: 'shutdown listener kept per connection',
    mark: '/* whatnext: shutdown listener removed on close */',
    file: 'dist/src/private-to-private/transport.js',
    buggy:
      /pc\.addEventListener\('close', \(\) => \{\s*this\.shutdownController\.signal\.removeEventListener\('abort', shutDownListener\);\s*\}\);/,
    fix: (mark) => () =>
      `${mark}
        const removeShutDownListener = () => {
            this.shutdownController.signal.removeEventListener('abort', shutDownListener);
        };
        pc.addEventListener('close', removeShutDownListener);
        webRTCConn.addEventListener('close', removeShutDownListener, { once: true });`,
  },
]

let failed = false
for (const patch of patches) {
  const file = join(pkgDir, patch.file)
  const source = readFileSync(file, 'utf8')
  if (source.includes(patch.mark)) continue
  if (!patch.buggy.test(source)) {
    console.error(
      `patch-webrtc: @libp2p/webrtc ${version} no longer has the ${patch.name}; drop this patch`,
    )
    if (version === '6.0.33') failed = true
    continue
  }
  writeFileSync(file, source.replace(patch.buggy, patch.fix(patch.mark)))
  console.log(`patch-webrtc: fixed the ${patch.name} in @libp2p/webrtc ${version}`)
}
process.exit(failed ? 1 : 0)
